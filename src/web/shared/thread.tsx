import { useState } from 'preact/hooks';
import { type Api } from './api';
import { liveEvent } from './live';
import { type MessageKey, useT } from './i18n';
import { type Comment, type Page } from './types';
import { confirmAction, Dialog, ErrorNote, Form, text, Time, toast } from './ui';

/**
 * Threads are shown four levels deep (depth 0–3), indented; everything below a depth-3
 * comment is one flat list under it ("더 보기"), each reply naming whom it answers.
 */
export const FLAT_DEPTH = 3;
export const REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const;

const find = (list: Comment[], id: string): Comment | undefined => {
  for (const c of list) {
    if (c.id === id) return c;
    const inner = find(c.replies ?? [], id);
    if (inner) return inner;
  }
  return undefined;
};

/** Applies `change` to the comment with `id` wherever it sits in the tree. */
export function updateComment(
  list: Comment[],
  id: string,
  change: (c: Comment) => Comment,
): Comment[] {
  let touched = false;
  const next = list.map((c) => {
    if (c.id === id) {
      touched = true;
      return change(c);
    }
    if (c.replies?.length) {
      const replies = updateComment(c.replies, id, change);
      if (replies !== c.replies) {
        touched = true;
        return { ...c, replies };
      }
    }
    return c;
  });
  return touched ? next : list;
}

/** The depth-3 comment whose flat list holds `id` (or is it). */
const anchorOf = (list: Comment[], id: string): Comment | undefined => {
  for (const c of list) {
    if (c.depth === FLAT_DEPTH && (c.id === id || (c.replies ?? []).some((r) => r.id === id)))
      return c;
    if (c.depth < FLAT_DEPTH) {
      const inner = anchorOf(c.replies ?? [], id);
      if (inner) return inner;
    }
  }
  return undefined;
};

/** Merges loaded replies into what is shown, once each, in time order. */
const merge = (shown: Comment[], more: Comment[]): Comment[] => {
  const seen = new Set(shown.map((c) => c.id));
  return [...shown, ...more.filter((c) => !seen.has(c.id))].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
};

/**
 * Adds a new comment once: top-level at the end, a reply under its parent, and a reply below
 * the fourth level at the end of its depth-3 ancestor's flat list. A reply whose parent is
 * not on the page yet only counts on the parent, when it is there.
 */
export function addComment(list: Comment[], comment: Comment): Comment[] {
  if (find(list, comment.id)) return list;
  if (!comment.parentId) return [...list, comment];
  const parent = find(list, comment.parentId);
  if (!parent) return list;
  if (parent.depth < FLAT_DEPTH)
    return updateComment(list, parent.id, (p) => ({
      ...p,
      replyCount: p.replyCount + 1,
      replies: [...(p.replies ?? []), comment],
    }));
  const anchor = anchorOf(list, parent.id);
  if (!anchor) return list;
  const counted = updateComment(list, parent.id, (p) => ({ ...p, replyCount: p.replyCount + 1 }));
  return updateComment(counted, anchor.id, (a) => ({
    ...a,
    replies: [...(a.replies ?? []), comment],
  }));
}

/** The thread's state change for one live event of the topic stream; unknown events: none. */
export function threadEvent(
  list: Comment[],
  event: string,
  payload: Record<string, unknown>,
): Comment[] {
  const e = liveEvent(event, payload);
  switch (e.event) {
    case 'comment:new':
      // A replayed message that is gone since comes without its comment.
      return e.payload.comment ? addComment(list, e.payload.comment) : list;
    case 'comment:edited':
    case 'comment:restored': {
      const { comment } = e.payload;
      if (!comment) return list;
      return updateComment(list, comment.id, (c) => ({
        ...comment,
        replies: c.replies,
        moreReplies: c.moreReplies,
        myAgree: c.myAgree,
      }));
    }
    case 'comment:hidden': {
      const { hiddenReason } = e.payload;
      return updateComment(list, e.payload.commentId, (c) => ({
        ...c,
        status: 'hidden',
        // Facilitators keep the text (marked hidden); everyone else loses it at once.
        hiddenReason,
      }));
    }
    case 'comment:deleted':
      return updateComment(list, e.payload.commentId, (c) => ({
        ...c,
        status: 'deleted',
        body: null,
        stance: null,
      }));
    case 'agree:count': {
      const { targetType, targetId, count } = e.payload;
      if (targetType !== 'comment') return list;
      return updateComment(list, targetId, (c) => ({ ...c, agreeCount: count }));
    }
    case 'room:agree': {
      const { commentId, count } = e.payload;
      return updateComment(list, commentId, (c) => ({ ...c, agreeCount: count }));
    }
    default:
      return list;
  }
}

export interface ThreadActions {
  api: Api;
  signedIn: boolean;
  /** The signed-in reader: their own comments can be edited and deleted, not reported. */
  meId?: string | undefined;
  facilitator: boolean;
  /** Hidden comments are left out entirely (the embed) instead of shown as placeholders. */
  omitHidden?: boolean;
  onChange: (change: (list: Comment[]) => Comment[]) => void;
  topicId: string;
  canPost: boolean;
}

export function CommentBody({ comment, facilitator }: { comment: Comment; facilitator: boolean }) {
  const t = useT();
  if (comment.status === 'deleted')
    return <p class="comment-body placeholder">{t('deletedComment')}</p>;
  if (comment.status === 'hidden' && !facilitator)
    return (
      <p class="comment-body placeholder">
        {comment.hiddenBy === 'reports' ? t('hiddenByReports') : t('hiddenComment')}
      </p>
    );
  return <p class="comment-body user-text">{comment.body}</p>;
}

/** Report: the four reasons and an optional detail; the server's refusal is shown as it is. */
export function ReportDialog({
  api,
  commentId,
  onClose,
}: {
  api: Api;
  commentId: string;
  onClose: (reported: boolean) => void;
}) {
  const t = useT();
  return (
    <Dialog title={t('reportTitle')} onClose={() => onClose(false)} id="report-dialog">
      <p class="muted">{t('reportIntro')}</p>
      <Form
        label={t('reportTitle')}
        onSubmit={async (data) => {
          const detail = text(data, 'detail');
          await api.post(`/comments/${commentId}/reports`, {
            reason: text(data, 'reason'),
            ...(detail ? { detail } : {}),
          });
          toast(t('reportDone'));
          onClose(true);
        }}
      >
        <div class="radio-list" role="radiogroup" aria-label={t('reason')}>
          {REPORT_REASONS.map((r, i) => (
            <label key={r}>
              <input type="radio" name="reason" value={r} required defaultChecked={i === 0} />
              {t(`reason_${r}` as MessageKey)}
            </label>
          ))}
        </div>
        <label for="report-detail">{t('reportDetail')}</label>
        <textarea id="report-detail" name="detail" rows={3} maxLength={500} />
        <div class="modal-actions">
          <button type="button" onClick={() => onClose(false)}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary">
            {t('reportSend')}
          </button>
        </div>
      </Form>
    </Dialog>
  );
}

/** A reason for a facilitator's action (hide, restore), asked in a dialog of the design. */
function ReasonDialog({
  title,
  onSubmit,
  onClose,
}: {
  title: string;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Dialog title={title} onClose={onClose} id="reason-dialog">
      <Form
        label={title}
        onSubmit={async (data) => {
          await onSubmit(text(data, 'reason'));
          onClose();
        }}
      >
        <label for="mod-reason-text">{t('reason')}</label>
        <input id="mod-reason-text" name="reason" required maxLength={500} />
        <div class="modal-actions">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary">
            {title}
          </button>
        </div>
      </Form>
    </Dialog>
  );
}

export function CommentItem({
  comment,
  actions,
  parentName,
}: {
  comment: Comment;
  actions: ThreadActions;
  /** In a flat list: whom this reply answers. */
  parentName?: string | undefined;
}) {
  const t = useT();
  const [replying, setReplying] = useState(false);
  const [editing, setEditing] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [reported, setReported] = useState(false);
  const [moderating, setModerating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const { api, onChange } = actions;
  const hidden = comment.status === 'hidden';
  const mine = !!actions.meId && comment.author.id === actions.meId;
  const visible = comment.status === 'visible';
  const flatAnchor = comment.depth === FLAT_DEPTH;
  const nested = comment.depth < FLAT_DEPTH;
  const agree = async () => {
    setError(null);
    try {
      const res = await api[comment.myAgree ? 'delete' : 'put']<{
        agreed: boolean;
        agreeCount: number;
      }>(`/comments/${comment.id}/agree`);
      onChange((list) =>
        updateComment(list, comment.id, (c) => ({
          ...c,
          myAgree: res.agreed,
          agreeCount: res.agreeCount,
        })),
      );
    } catch (e) {
      setError(e);
    }
  };
  const remove = async () => {
    if (!(await confirmAction(t('confirmDelete'), t('delete')))) return;
    try {
      await api.delete(`/comments/${comment.id}`);
      onChange((list) =>
        updateComment(list, comment.id, (c) => ({ ...c, status: 'deleted', body: null })),
      );
    } catch (e) {
      setError(e);
    }
  };
  /** The next page of direct replies (nested levels), or of the flat list (below level 4). */
  const loadMore = async () => {
    setError(null);
    try {
      const path = flatAnchor ? 'thread' : 'replies';
      const page = await api.get<Page<Comment>>(
        `/comments/${comment.id}/${path}?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      setCursor(page.nextCursor);
      onChange((list) =>
        updateComment(list, comment.id, (c) => {
          const replies = merge(c.replies ?? [], page.items);
          const direct = replies.filter((r) => r.parentId === c.id).length;
          return {
            ...c,
            replies,
            moreReplies: page.nextCursor
              ? Math.max(1, c.replyCount - direct)
              : flatAnchor
                ? 0
                : Math.max(0, c.replyCount - direct),
          };
        }),
      );
    } catch (e) {
      setError(e);
    }
  };
  const more =
    comment.moreReplies ?? Math.max(0, comment.replyCount - (comment.replies?.length ?? 0));
  const replies = comment.replies ?? [];
  const shownReplies = actions.omitHidden ? replies.filter((c) => c.status !== 'hidden') : replies;
  const nameOf = (id: string | null): string | undefined =>
    id === comment.id
      ? comment.author.displayName
      : replies.find((r) => r.id === id)?.author.displayName;
  return (
    <li
      class={`comment${hidden ? ' is-hidden' : ''}`}
      data-comment-id={comment.id}
      data-status={comment.status}
      data-depth={comment.depth}
      aria-label={comment.author.displayName}
    >
      <div class="comment-head">
        <strong class="author">{comment.author.displayName}</strong>
        {parentName && <span class="muted">↳ {t('replyTo', { name: parentName })}</span>}
        {comment.stance && (
          <span class={`badge stance-${comment.stance}`}>{t(`stance_${comment.stance}`)}</span>
        )}
        {hidden && actions.facilitator && <span class="badge hidden-mark">{t('hidden')}</span>}
        <Time iso={comment.createdAt} />
        {comment.editedAt && <span class="muted">({t('edited')})</span>}
      </div>
      {editing ? (
        <Form
          label={t('editComment')}
          class="comment-form"
          onSubmit={async (data) => {
            const updated = await api.patch<Comment>(`/comments/${comment.id}`, {
              body: text(data, 'body'),
            });
            onChange((list) =>
              updateComment(list, comment.id, (c) => ({
                ...updated,
                replies: c.replies,
                moreReplies: c.moreReplies,
                myAgree: c.myAgree,
              })),
            );
            setEditing(false);
          }}
        >
          <label for={`edit-${comment.id}`} class="sr-only">
            {t('editComment')}
          </label>
          <textarea
            id={`edit-${comment.id}`}
            name="body"
            required
            maxLength={2000}
            rows={3}
            defaultValue={comment.body ?? ''}
          />
          <div class="row">
            <button type="submit" class="primary sm">
              {t('save')}
            </button>
            <button type="button" class="sm" onClick={() => setEditing(false)}>
              {t('cancel')}
            </button>
          </div>
        </Form>
      ) : (
        <CommentBody comment={comment} facilitator={actions.facilitator} />
      )}
      <div class="comment-actions">
        <button
          type="button"
          class="agree-comment"
          aria-pressed={!!comment.myAgree}
          disabled={!actions.signedIn || !visible}
          onClick={() => void agree()}
        >
          👍 {comment.myAgree ? t('agreed') : t('agree')}{' '}
          <span class="count">{comment.agreeCount}</span>
        </button>
        {actions.canPost && visible && (
          <button type="button" onClick={() => setReplying(!replying)} aria-expanded={replying}>
            {t('reply')}
          </button>
        )}
        {mine && visible && !editing && (
          <button type="button" class="edit-comment" onClick={() => setEditing(true)}>
            {t('edit')}
          </button>
        )}
        {mine && comment.status !== 'deleted' && (
          <button type="button" class="delete-comment" onClick={() => void remove()}>
            {t('delete')}
          </button>
        )}
        {actions.signedIn && !mine && visible && (
          <button
            type="button"
            class="report-comment"
            disabled={reported}
            onClick={() => setReporting(true)}
          >
            {reported ? t('reported') : t('report')}
          </button>
        )}
        {actions.facilitator && comment.status !== 'deleted' && (
          <button type="button" class="mod-toggle" onClick={() => setModerating(true)}>
            {hidden ? t('restore') : t('hide')}
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      {reporting && (
        <ReportDialog
          api={api}
          commentId={comment.id}
          onClose={(done) => {
            setReporting(false);
            if (done) setReported(true);
          }}
        />
      )}
      {moderating && (
        <ReasonDialog
          title={hidden ? t('restore') : t('hide')}
          onClose={() => setModerating(false)}
          onSubmit={async (reason) => {
            await api.post(`/comments/${comment.id}/${hidden ? 'restore' : 'hide'}`, { reason });
          }}
        />
      )}
      {replying && (
        <CommentForm
          actions={actions}
          parentId={comment.id}
          onDone={() => setReplying(false)}
          label={`${t('reply')} — ${comment.author.displayName}`}
        />
      )}
      {nested && shownReplies.length > 0 && (
        <CommentList comments={shownReplies} actions={actions} />
      )}
      {flatAnchor && shownReplies.length > 0 && (
        <ol class="comments flat">
          {shownReplies.map((c) => (
            <CommentItem key={c.id} comment={c} actions={actions} parentName={nameOf(c.parentId)} />
          ))}
        </ol>
      )}
      {comment.depth <= FLAT_DEPTH && more > 0 && (
        <p class="more">
          <button type="button" class="link load-replies" onClick={() => void loadMore()}>
            {flatAnchor
              ? `${t('deeperReplies')} (${more})`
              : replies.length
                ? t('moreRepliesN', { n: more })
                : t('viewReplies', { n: more })}
          </button>
        </p>
      )}
    </li>
  );
}

export function CommentList({
  comments,
  actions,
}: {
  comments: Comment[];
  actions: ThreadActions;
}) {
  const shown = actions.omitHidden ? comments.filter((c) => c.status !== 'hidden') : comments;
  return (
    <ol class="comments">
      {shown.map((c) => (
        <CommentItem key={c.id} comment={c} actions={actions} />
      ))}
    </ol>
  );
}

export function CommentForm({
  actions,
  parentId,
  onDone,
  label,
}: {
  actions: ThreadActions;
  parentId?: string;
  onDone?: () => void;
  label: string;
}) {
  const t = useT();
  const id = `comment-body-${parentId ?? 'top'}`;
  return (
    <Form
      label={label}
      class="comment-form"
      onSubmit={async (data, form) => {
        const comment = await actions.api.post<Comment>(`/topics/${actions.topicId}/comments`, {
          body: text(data, 'body'),
          ...(parentId ? { parentId } : {}),
        });
        actions.onChange((list) => addComment(list, comment));
        form.reset();
        onDone?.();
      }}
    >
      <label for={id}>{parentId ? t('reply') : t('writeComment')}</label>
      <textarea
        id={id}
        name="body"
        required
        maxLength={2000}
        rows={parentId ? 2 : 3}
        aria-describedby={`${id}-hint`}
      />
      <span class="hint" id={`${id}-hint`}>
        {t('writeHint')}
      </span>
      <button type="submit" class="primary">
        {t('submit')}
      </button>
    </Form>
  );
}
