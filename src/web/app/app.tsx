import { type ComponentChildren, type JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { lang, setLang, useT } from '../shared/i18n';
import { useStore } from '../shared/store';
import { ConnectionBadge } from '../shared/ui';
import { announcements, live, session } from './context';
import { AuthPage } from './pages/auth';
import { ConsolePage } from './pages/console';
import { HomePage } from './pages/home';
import { RoomPage } from './pages/room';
import { SpacePage } from './pages/space';
import { TopicPage } from './pages/topic';
import { location, navigate, route } from './router';

/** An in-app link: a real <a href> (keyboard, middle-click) that navigates without reload. */
export function Link({
  href,
  children,
  class: className,
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <a
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
  return (
    <header class="site-header">
      <Link href="/" class="brand">
        {t('appName')}
      </Link>
      <nav aria-label={t('spaces')}>
        <ConnectionBadge state={state} />
        <button
          type="button"
          class="link"
          aria-label={t('languageLabel')}
          onClick={() => setLang(current === 'ko' ? 'en' : 'ko')}
        >
          {t('language')}
        </button>
        {user ? (
          <>
            <span class="whoami" data-testid="whoami">
              {user.displayName}
            </span>
            <button type="button" class="link" onClick={() => void session.signOut()}>
              {t('signOut')}
            </button>
          </>
        ) : (
          <>
            <Link href={`/signin?next=${encodeURIComponent(location.get())}`}>{t('signIn')}</Link>
            <Link href="/register">{t('register')}</Link>
          </>
        )}
      </nav>
    </header>
  );
}

export function App() {
  const path = useStore(location);
  const message = useStore(announcements);
  const current = useStore(lang);
  useEffect(() => {
    document.documentElement.lang = current;
  }, [current]);
  const r = route(path);
  let page: JSX.Element;
  switch (r.page) {
    case 'home':
      page = <HomePage />;
      break;
    case 'space':
      page = <SpacePage slug={r.slug} key={r.slug} />;
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
        {current === 'ko' ? '본문 바로가기' : 'Skip to content'}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <div class="sr-only" aria-live="polite" role="log" data-testid="live-region">
        {message}
      </div>
    </>
  );
}

function NotFound() {
  const t = useT();
  return <h1>{t('notFound')}</h1>;
}
