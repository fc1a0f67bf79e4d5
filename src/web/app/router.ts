import { Store } from '../shared/store';

/** The current path; the server answers every page path with index.html. */
export const location = new Store<string>(window.location.pathname + window.location.search);

export type Route =
  | { page: 'home' }
  | { page: 'space'; slug: string }
  | { page: 'manage'; slug: string }
  | { page: 'admin' }
  | { page: 'topic'; id: string }
  | { page: 'room'; id: string }
  | { page: 'console'; id: string }
  | { page: 'minutes'; id: string }
  | { page: 'budget'; id: string }
  | { page: 'project'; id: string }
  | { page: 'ballot'; id: string }
  | { page: 'results'; id: string }
  | { page: 'kiosk'; id: string }
  | { page: 'screen'; id: string }
  | { page: 'budgetOffice'; id: string }
  | { page: 'me' }
  | { page: 'notifications' }
  | { page: 'notificationSettings' }
  | { page: 'signin' }
  | { page: 'register' }
  | { page: 'missing' };

const UUID = '[0-9a-fA-F-]{36}';

export function route(path: string): Route {
  const p = path.split('?')[0] ?? '/';
  let m: RegExpMatchArray | null;
  if (p === '/' || p === '') return { page: 'home' };
  if ((m = p.match(/^\/spaces\/([^/]+)$/)))
    return { page: 'space', slug: decodeURIComponent(m[1]!) };
  if ((m = p.match(/^\/spaces\/([^/]+)\/manage$/)))
    return { page: 'manage', slug: decodeURIComponent(m[1]!) };
  if (p === '/admin') return { page: 'admin' };
  if ((m = p.match(new RegExp(`^/topics/(${UUID})$`)))) return { page: 'topic', id: m[1]! };
  if ((m = p.match(new RegExp(`^/rooms/(${UUID})$`)))) return { page: 'room', id: m[1]! };
  if ((m = p.match(new RegExp(`^/rooms/(${UUID})/console$`))))
    return { page: 'console', id: m[1]! };
  if ((m = p.match(new RegExp(`^/rooms/(${UUID})/minutes$`))))
    return { page: 'minutes', id: m[1]! };
  if ((m = p.match(new RegExp(`^/budgets/(${UUID})$`)))) return { page: 'budget', id: m[1]! };
  if ((m = p.match(new RegExp(`^/budgets/(${UUID})/ballot$`))))
    return { page: 'ballot', id: m[1]! };
  if ((m = p.match(new RegExp(`^/budgets/(${UUID})/results$`))))
    return { page: 'results', id: m[1]! };
  if ((m = p.match(new RegExp(`^/budgets/(${UUID})/kiosk$`)))) return { page: 'kiosk', id: m[1]! };
  if ((m = p.match(new RegExp(`^/budgets/(${UUID})/screen$`))))
    return { page: 'screen', id: m[1]! };
  if ((m = p.match(new RegExp(`^/budgets/(${UUID})/manage$`))))
    return { page: 'budgetOffice', id: m[1]! };
  if ((m = p.match(new RegExp(`^/projects/(${UUID})$`)))) return { page: 'project', id: m[1]! };
  if (p === '/me') return { page: 'me' };
  if (p === '/me/notifications') return { page: 'notifications' };
  if (p === '/me/notification-settings') return { page: 'notificationSettings' };
  if (p === '/signin') return { page: 'signin' };
  if (p === '/register') return { page: 'register' };
  return { page: 'missing' };
}

export function navigate(to: string): void {
  if (to === location.get()) return;
  const target = route(to).page;
  // A live room's page carries a Content-Security-Policy of its own (its stream's origin):
  // it is loaded as a document, not swapped in.
  if (target === 'room' || target === 'console') {
    window.location.assign(to);
    return;
  }
  window.history.pushState(null, '', to);
  location.set(to);
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  const to = window.location.pathname + window.location.search;
  const target = route(to).page;
  if (target === 'room' || target === 'console') window.location.reload();
  else location.set(to);
});

/** The `next` query parameter, only when it is a path on this site. */
export function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
