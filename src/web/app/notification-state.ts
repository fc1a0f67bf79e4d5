import { type NotificationView } from '../../protocol/views';
import { fill, lang, translate, type Translate } from '../shared/i18n';
import { liveEvent } from '../shared/live';
import { notificationText } from '../shared/notification-text';
import { Store } from '../shared/store';
import { announce, api, live, session } from './context';

/** The signed-in person's unread count, kept live: the bell in the header shows it. */
export const unread = new Store<number>(0);

/** Notifications pushed since the page loaded, newest first (the inbox shows them at once). */
export const incoming = new Store<NotificationView[]>([]);

let stop: (() => void) | undefined;

async function refresh(): Promise<void> {
  if (!session.get()) {
    unread.set(0);
    return;
  }
  try {
    unread.set((await api.get<{ unread: number }>('/me/notifications/unread')).unread);
  } catch {
    // The count stays as it was; the next connection or push corrects it.
  }
}

/**
 * Follows the page's live connection: `notification:new` sets the count and queues the notice
 * for the inbox; every (re)connection reads the count again, since pushes made while the
 * connection was down are not replayed.
 */
function attach(): void {
  stop?.();
  const conn = live.get();
  const offEvent = conn.onEvent((name, payload) => {
    const e = liveEvent(name, payload);
    if (e.event !== 'notification:new') return;
    const p = e.payload;
    unread.set(p.unread);
    incoming.set([p.notification, ...incoming.get().filter((n) => n.id !== p.notification.id)]);
    notify(p.notification);
  });
  const offConnect = conn.onConnect(() => void refresh());
  stop = () => {
    offEvent();
    offConnect();
  };
}

/** A push is said to screen readers in words, in the page's language. */
function notify(n: NotificationView): void {
  const t: Translate = (key, params) => fill(translate(lang.get(), key), params ?? {});
  announce(t('newNotification', { text: notificationText(n, t) }));
}

live.subscribe(attach);
session.subscribe(() => {
  incoming.set([]);
  void refresh();
});
attach();
void refresh();
