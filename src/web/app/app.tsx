import { Component, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { lang, setLang, useT } from '../shared/i18n';
import { useStore } from '../shared/store';
import { ConfirmHost, ConnectionBadge, ToastHost, usePageTitle } from '../shared/ui';
import { announcements, live, session } from './context';
import { AuthPage } from './pages/auth';
import { ScreenPage } from './pages/assembly';
import { AdminPage, ManagePage } from './pages/backoffice';
import { BallotPage, BudgetPage, KioskPage, ProjectPage, ResultsPage } from './pages/budget';
import { BudgetOfficePage } from './pages/budget-office';
import { ConsolePage } from './pages/console';
import { HomePage } from './pages/home';
import { MinutesPage } from './pages/minutes';
import { Bell, InboxPage, NotificationSettingsPage } from './pages/notifications';
import { ProfilePage } from './pages/profile';
import { RoomPage } from './pages/room';
import { SpacePage } from './pages/space';
import { TopicPage } from './pages/topic';
import { location, navigate, route } from './router';

/** An in-app link: a real <a href> (keyboard, middle-click) that navigates without reload. */
export function Link({
  href,
  children,
  class: className,
  ...rest
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
} & { 'aria-current'?: 'page' | undefined }) {
  return (
    <a
      {...rest}
      href={href}
      class={className}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

function Header() {
  const t = useT();
  const current = useStore(lang);
  const user = useStore(session)?.user;
  const state = useStore(useStore(live).state);
  const path = useStore(location);
  const here = path.split('?')[0];
  return (
    <header class="site-header">
      <div class="bar">
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true">
            마
          </span>
          {t('appName')}
        </Link>
        <nav class="site-nav" aria-label={t('spaces')}>
          <ConnectionBadge state={state} />
          <button
            type="button"
            class="ghost sm"
            aria-label={`${t('language')} — ${t('languageLabel')}`}
            onClick={() => setLang(current === 'ko' ? 'en' : 'ko')}
          >
            {t('language')}
          </button>
          {user ? (
            <>
              {user.role === 'admin' && (
                <Link href="/admin" aria-current={here === '/admin' ? 'page' : undefined}>
                  {t('bo_adminLink')}
                </Link>
              )}
              <Bell />
              <Link href="/me" aria-current={here === '/me' ? 'page' : undefined}>
                <span data-testid="whoami">{user.displayName}</span>
              </Link>
              <button type="button" class="sm" onClick={() => void session.signOut()}>
                {t('signOut')}
              </button>
            </>
          ) : (
            here !== '/signin' &&
            here !== '/register' && (
              <>
                <Link href={`/signin?next=${encodeURIComponent(path)}`}>{t('signIn')}</Link>
                <Link
                  href={`/register?next=${encodeURIComponent(path)}`}
                  class="btn btn-primary btn-sm"
                >
                  {t('register')}
                </Link>
              </>
            )
          )}
        </nav>
      </div>
    </header>
  );
}

/** Offline (the browser says so) or reconnecting (the live connection dropped): said at the top. */
function ConnectivityBar() {
  const t = useT();
  const state = useStore(useStore(live).state);
  const [online, setOnline] = useState(navigator.onLine);
  const [wasOnline, setWasOnline] = useState(false);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  useEffect(() => {
    if (state === 'online') setWasOnline(true);
  }, [state]);
  if (!online)
    return (
      <div class="status-bar" role="alert" data-testid="offline">
        {t('offline')}
      </div>
    );
  // Only a connection that was up and dropped is "reconnecting"; the first connect is quiet.
  if (state === 'offline' && wasOnline)
    return (
      <div class="status-bar" role="status" data-testid="reconnecting">
        {t('reconnecting')}
      </div>
    );
  return null;
}

export function NotFound() {
  const t = useT();
  usePageTitle(t('notFoundTitle'));
  return (
    <section class="error-page" data-testid="not-found">
      <p class="code" aria-hidden="true">
        404
      </p>
      <h1>{t('notFoundTitle')}</h1>
      <p class="muted">{t('notFoundHint')}</p>
      <Link href="/" class="btn btn-primary">
        {t('goHome')}
      </Link>
    </section>
  );
}

function ErrorPage() {
  const t = useT();
  usePageTitle(t('errorTitle'));
  return (
    <section class="error-page" data-testid="error-page" role="alert">
      <p class="code" aria-hidden="true">
        !
      </p>
      <h1>{t('errorTitle')}</h1>
      <p class="muted">{t('errorHint')}</p>
      <div class="row" style={{ justifyContent: 'center' }}>
        <button type="button" class="primary" onClick={() => window.location.reload()}>
          {t('reload')}
        </button>
        <a href="/" class="btn">
          {t('goHome')}
        </a>
      </div>
    </section>
  );
}

/** A page that throws shows the error page of the design, not a blank screen. */
class Boundary extends Component<
  { children: ComponentChildren; path: string },
  { failed: boolean }
> {
  override state = { failed: false };
  override componentDidCatch(error: unknown): void {
    console.error(error);
    this.setState({ failed: true });
  }
  override componentDidUpdate(previous: { path: string }): void {
    if (previous.path !== this.props.path && this.state.failed) this.setState({ failed: false });
  }
  override render() {
    return this.state.failed ? <ErrorPage /> : this.props.children;
  }
}

export function App() {
  const t = useT();
  const path = useStore(location);
  const message = useStore(announcements);
  const current = useStore(lang);
  useEffect(() => {
    document.documentElement.lang = current;
  }, [current]);
  const r = route(path);
  // The projector view of an assembly is the hall's screen: no header, footer or navigation.
  if (r.page === 'screen')
    return (
      <main id="main" data-page="screen">
        <Boundary path={path}>
          <ScreenPage id={r.id} key={r.id} />
        </Boundary>
      </main>
    );
  let page: JSX.Element;
  switch (r.page) {
    case 'home':
      page = <HomePage />;
      break;
    case 'space':
      page = <SpacePage slug={r.slug} key={r.slug} />;
      break;
    case 'manage':
      page = <ManagePage slug={r.slug} key={r.slug} />;
      break;
    case 'admin':
      page = <AdminPage />;
      break;
    case 'topic':
      page = <TopicPage id={r.id} key={r.id} />;
      break;
    case 'room':
      page = <RoomPage id={r.id} key={r.id} />;
      break;
    case 'console':
      page = <ConsolePage id={r.id} key={r.id} />;
      break;
    case 'minutes':
      page = <MinutesPage id={r.id} key={r.id} />;
      break;
    case 'budget':
      page = <BudgetPage id={r.id} key={r.id} />;
      break;
    case 'project':
      page = <ProjectPage id={r.id} key={r.id} />;
      break;
    case 'ballot':
      page = <BallotPage id={r.id} key={r.id} />;
      break;
    case 'results':
      page = <ResultsPage id={r.id} key={r.id} />;
      break;
    case 'kiosk':
      page = <KioskPage id={r.id} key={r.id} />;
      break;
    case 'budgetOffice':
      page = <BudgetOfficePage id={r.id} key={r.id} />;
      break;
    case 'me':
      page = <ProfilePage />;
      break;
    case 'notifications':
      page = <InboxPage />;
      break;
    case 'notificationSettings':
      page = <NotificationSettingsPage />;
      break;
    case 'signin':
    case 'register':
      page = <AuthPage mode={r.page} key={r.page} />;
      break;
    case 'missing':
      page = <NotFound />;
      break;
  }
  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <Header />
      <ConnectivityBar />
      <main id="main" tabIndex={-1} data-page={r.page}>
        <Boundary path={path}>{page}</Boundary>
      </main>
      <footer class="site-footer">
        <p>
          {t('appName')} · {t('tagline')}
        </p>
      </footer>
      <div class="sr-only" aria-live="polite" role="log" data-testid="live-region">
        {message}
      </div>
      <ConfirmHost />
      <ToastHost />
    </>
  );
}
