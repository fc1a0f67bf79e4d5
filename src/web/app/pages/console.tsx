import { useEffect, useState } from 'preact/hooks';
import { type RoomAsk } from '../../shared/live';
import { Store, useStore } from '../../shared/store';
import { type RoomSanction } from '../../shared/types';
import { hiddenReasonText } from '../../shared/hidden-reason-text';
import {
  formatTime,
  isMessageKey,
  lang,
  type MessageKey,
  type Translate,
  useT,
} from '../../shared/i18n';
import { confirmAction, ErrorNote, Form, LineForm, text } from '../../shared/ui';
import { Link } from '../app';
import { api } from '../context';
import { type ModItem, type RoomState } from '../../shared/room-state';
import { RoomPage } from './room';

export function ConsolePage({ id }: { id: string }) {
  return <RoomPage id={id} console />;
}

type Ask = RoomAsk;

/** How long a mute from this console lasts (minutes); the facilitator picks it. */
export const muteMinutes = new Store<number>(10);
const MUTE_CHOICES = [5, 10, 30, 60, 180, 1440];

/**
 * The facilitator's controls. The moderation queue is the room's facilitators-only feed, so
 * every facilitator's console shows the same reports and the same record of who acted.
 */
export function ModerationPanels({
  id,
  state,
  ask,
  reason,
  onReason,
}: {
  id: string;
  state: RoomState;
  ask: Ask;
  reason: string;
  onReason: (reason: string) => void;
}) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const { room } = state;
  const run = (p: Promise<unknown>) => void p.catch(setError);
  // A report or flag leaves the queue once any facilitator acted on its comment (every
  // console sees the same mod:action) or the comment is hidden.
  const handled = new Set(
    state.modFeed
      .filter((m) => m.kind === 'action')
      .map((m) => (m.payload.target as { id?: string } | undefined)?.id),
  );
  for (const message of state.messages) if (message.status === 'hidden') handled.add(message.id);
  const openReports = state.modFeed.filter(
    (m) => m.kind !== 'action' && !handled.has(m.payload.commentId as string),
  );
  const actions = state.modFeed
    .filter((m) => m.kind === 'action')
    .slice(-20)
    .reverse();
  // An ended room has nothing left to run: the record is in the minutes.
  if (room.status === 'ended')
    return (
      <section class="mod-panels" aria-label={t('console')}>
        <p>{t('roomEndedNote')}</p>
        <div class="toolbar">
          <Link href={`/rooms/${id}/minutes`} class="btn btn-primary">
            {t('viewMinutes')}
          </Link>
        </div>
      </section>
    );
  const end = async () => {
    if (await confirmAction(t('confirmEnd'), t('end'))) run(api.post(`/rooms/${id}/end`));
  };
  const start = async () => {
    if (await confirmAction(t('bo_confirmStart'), t('start'))) run(api.post(`/rooms/${id}/start`));
  };
  return (
    <section class="mod-panels" aria-label={t('console')}>
      <ErrorNote error={error} />
      <div class="toolbar">
        {room.status === 'scheduled' && (
          <button type="button" class="primary" onClick={() => void start()}>
            {t('start')}
          </button>
        )}
        {room.status === 'live' && (
          <button type="button" class="danger" onClick={() => void end()}>
            {t('end')}
          </button>
        )}
        <button
          type="button"
          aria-pressed={room.locked}
          onClick={() => run(ask('mod:lock', { locked: !room.locked }))}
        >
          {room.locked ? t('unlock') : t('lock')}
        </button>
        <label>
          {t('slowMode')}{' '}
          <input
            type="number"
            min={0}
            max={3600}
            value={room.settings.slowModeSeconds}
            onChange={(e) => run(ask('mod:slowmode', { seconds: Number(e.currentTarget.value) }))}
          />
        </label>
        <MuteLength />
        {state.pinned && (
          <button type="button" onClick={() => run(ask('mod:unpin'))}>
            {t('bo_unpin')}
          </button>
        )}
        <label>
          {t('reason')}{' '}
          <input
            id="mod-reason"
            value={reason}
            maxLength={500}
            onInput={(e) => onReason(e.currentTarget.value)}
          />
        </label>
      </div>
      <Form
        label={t('saveStream')}
        class="inline"
        onSubmit={async (data) => {
          const url = text(data, 'streamUrl');
          await api.patch(`/rooms/${id}`, { settings: { streamUrl: url || null } });
        }}
      >
        <label for="stream-url">{t('streamUrl')}</label>
        <input
          id="stream-url"
          name="streamUrl"
          type="url"
          maxLength={2000}
          defaultValue={room.settings.streamUrl ?? ''}
          style={{ flex: '1 1 18rem' }}
        />
        <button type="submit">{t('saveStream')}</button>
      </Form>
      <LineForm
        id="announce-body"
        class="inline"
        label={t('announce')}
        button={t('announce')}
        maxLength={500}
        onSend={(body) => ask('mod:announce', { body })}
      />
      <div class="room-grid">
        <section aria-labelledby="modq-h" class="mod-queue">
          <h2 id="modq-h">
            {t('modQueue')} ({openReports.length})
          </h2>
          {openReports.length === 0 && <p class="muted">{t('noReports')}</p>}
          <ol>
            {openReports.map((item) => (
              <ReportItem key={item.seq} item={item} run={run} />
            ))}
          </ol>
          <Sanctions id={id} version={actions.length} ask={ask} run={run} reason={reason} />
          <h3>{t('bo_actionLog')}</h3>
          <ol class="mod-actions" data-testid="mod-actions">
            {actions.map((a) => {
              const p = a.payload as {
                action: string;
                actor: { displayName: string };
                target: { type: string; id: string; displayName?: string };
              };
              return (
                <li key={a.seq} data-action={p.action} data-target={p.target.id}>
                  {p.actor.displayName} → {actionLabel(t, p.action)} (
                  {p.target.displayName ?? t(`bo_target_${p.target.type}` as MessageKey)})
                </li>
              );
            })}
          </ol>
        </section>
        <section aria-labelledby="queue-h">
          <h2 id="queue-h">{t('waiting')}</h2>
          <button type="button" class="primary" onClick={() => run(ask('queue:next'))}>
            {t('next')}
          </button>
          <ol>
            {state.queue.waiting.map((w) => (
              <li key={w.userId}>
                {w.displayName}{' '}
                <button
                  type="button"
                  onClick={() => run(ask('queue:remove', { userId: w.userId }))}
                >
                  {t('remove')}
                </button>
              </li>
            ))}
          </ol>
          {state.presenceDetail && (
            <>
              <h3>
                {t('presence')} ({state.presence})
              </h3>
              <ul class="people">
                {state.presenceDetail.users.map((u) => (
                  <li key={u.id}>{u.displayName}</li>
                ))}
                {state.presenceDetail.anonymous > 0 && (
                  <li>
                    {t('viewers')} {state.presenceDetail.anonymous}
                  </li>
                )}
              </ul>
            </>
          )}
        </section>
      </div>
    </section>
  );
}

function MuteLength() {
  const t = useT();
  const minutes = useStore(muteMinutes);
  return (
    <label>
      {t('bo_muteMinutes')}{' '}
      <select
        id="mute-minutes"
        value={minutes}
        onChange={(e) => muteMinutes.set(Number(e.currentTarget.value))}
      >
        {MUTE_CHOICES.map((n) => (
          <option key={n} value={n}>
            {t('bo_minutesN', { n })}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Who is muted or removed now, re-read whenever a facilitator acts. */
function Sanctions({
  id,
  version,
  ask,
  run,
  reason,
}: {
  id: string;
  version: number;
  ask: Ask;
  run: (p: Promise<unknown>) => void;
  reason: string;
}) {
  const t = useT();
  const [list, setList] = useState<RoomSanction[] | null>(null);
  useEffect(() => {
    let stale = false;
    api
      .get<RoomSanction[]>(`/rooms/${id}/sanctions`)
      .then((rows) => !stale && setList(rows))
      .catch(() => !stale && setList([]));
    return () => {
      stale = true;
    };
  }, [id, version]);
  return (
    <>
      <h3>{t('bo_sanctions')}</h3>
      {list?.length === 0 && <p class="muted">{t('bo_noSanctions')}</p>}
      <ul class="plain-list" data-testid="sanctions">
        {list?.map((s) => (
          <li key={s.user.id} class="row" data-user-id={s.user.id}>
            <strong>{s.user.displayName}</strong>
            {s.mutedUntil && (
              <span class="muted">
                {t('bo_mutedTill', { at: formatTime(s.mutedUntil, lang.get(), 'time') })}
              </span>
            )}
            {s.banned && <span class="badge warn">{t('bo_removed')}</span>}
            {s.mutedUntil && (
              <button
                type="button"
                class="sm"
                onClick={() => run(ask('mod:unmute', { userId: s.user.id, reason }))}
              >
                {t('bo_unmute')}
              </button>
            )}
            {s.banned && (
              <button
                type="button"
                class="sm"
                onClick={() => run(ask('mod:unban', { userId: s.user.id, reason }))}
              >
                {t('bo_unban')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A moderation action's name in the page's language (`room.mute` → 발언 제한). */
export function actionLabel(t: Translate, action: string): string {
  const key = `act_${action.replace(/\./g, '_')}` as MessageKey;
  const text = t(key);
  return text === undefined || text === key ? action : text;
}

/** A flag's reason is a hide reason (a code, say it); a report's is one of the report reasons. */
function reasonText(kind: ModItem['kind'], reason: string, t: Translate): string {
  if (kind === 'flag') return hiddenReasonText(reason, t);
  const key = `bo_reason_${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

function ReportItem({ item, run }: { item: ModItem; run: (p: Promise<unknown>) => void }) {
  const t = useT();
  const p = item.payload as {
    reportId?: string;
    commentId: string;
    reason: string;
    comment?: { body: string | null; author: { displayName: string } };
  };
  return (
    <li class={`report kind-${item.kind}`} data-comment-id={p.commentId}>
      <span class="badge">{item.kind === 'flag' ? t('flag') : t('reports')}</span>{' '}
      {reasonText(item.kind, p.reason, t)}
      {p.comment && (
        <blockquote>
          {p.comment.author.displayName}: {p.comment.body}
        </blockquote>
      )}
      {p.reportId && (
        <span>
          <button
            type="button"
            onClick={() => run(api.post(`/reports/${p.reportId}/resolve`, { action: 'hide' }))}
          >
            {t('hide')}
          </button>
          <button
            type="button"
            onClick={() => run(api.post(`/reports/${p.reportId}/resolve`, { action: 'dismiss' }))}
          >
            {t('dismissReport')}
          </button>
        </span>
      )}
    </li>
  );
}
