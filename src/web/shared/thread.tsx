import { useState } from 'preact/hooks';
import { type Api } from './api';
import { useT } from './i18n';
import { type Comment } from './types';
import { Form, text, Time } from './ui';

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

const contains = (list: Comment[], id: string): boolean =>
  list.some((c) => c.id === id || contains(c.replies ?? [], id));

/** Adds a new comment (top-level at the end, a reply under its parent); once only. */
export function addComment(list: Comment[], comment: Comment): Comment[] {
  if (contains(list, comment.id)) return list;
  if (!comment.parentId) return [...list, comment];
  return updateComment(list, comment.parentId, (parent) => ({
    ...parent,
    replyCount: parent.replyCount + 1,
    replies: [...(parent.replies ?? []), comment],
  }));
}

/** The thread's state change for one live event of the topic stream; unknown events: none. */
export function threadEvent(list: Comment[], event: string, p: Record<string, unknown>): Comment[] {
  switch (event) {
    case 'comment:new':
      return addComment(list, p.comment as Comment);
    case 'comment:edited':
    case 'comment:restored': {
      const comment = p.comment as Comment;
      return updateComment(list, comment.id, (c) => ({
        ...comment,
        replies: c.replies,
        myAgree: c.myAgree,
      }));
    }
    case 'comment:hidden':
      return updateComment(list, p.commentId as string, (c) => ({
        ...c,
        status: 'hidden',
        // Facilitators keep the text (marked hidden); everyone else loses it at once.
        hiddenReason: p.hiddenReason as string,
      }));
    case 'comment:deleted':
      return updateComment(list, p.commentId as string, (c) => ({
        ...c,
        status: 'deleted',
        body: null,
      }));
    case 'agree:count':
    case 'room:agree': {
      const id = (p.targetId ?? p.commentId) as string;
      if (event === 'agree:count' && p.targetType !== 'comment') return list;
      return updateComment(list, id, (c) => ({ ...c, agreeCount: p.count as number }));
    }
    default:
      return list;
  }
}

export interface ThreadActions {
  api: Api;
  signedIn: boolean;
  facilitator: boolean;
  /** Hidden comments are left out entirely (the embed) instead of shown as placeholders. */
  omitHidden?: boolean;
  onChange: (change: (list: Comment[]) => Comment[]) => void;
  topicId: string;
  canPost: boolean;
}

export function CommentBody({ comment, facilitator }: { comment: Comment; facilitator: boolean }) {
  const t = useT();
  if (comment.status === 'deleted') return <p class="comment-body muted">{t('deletedComment')}</p>;
  if (comment.status === 'hidden' && !facilitator)
    return <p class="comment-body muted">{t('hiddenComment')}</p>;
  return <p class="comment-body">{comment.body}</p>;
}

export function CommentItem({ comment, actions }: { comment: Comment; actions: ThreadActions }) {
  const t = useT();
  const [replying, setReplying] = useState(false);
  const [reported, setReported] = useState(false);
  const { api, onChange } = actions;
  const hidden = comment.status === 'hidden';
  const agree = async () => {
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
  };
  const moderate = async (to: 'hide' | 'restore') => {
    const reason = window.prompt(t('reason')) ?? '';
    if (!reason.trim()) return;
    await api.post(`/comments/${comment.id}/${to}`, { reason: reason.trim() });
  };
  const report = async () => {
    await api.post(`/comments/${comment.id}/reports`, { reason: 'abuse' }).catch(() => undefined);
    setReported(true);
  };
  const moreReplies = async () => {
    const page = await api.get<{ items: Comment[] }>(`/comments/${comment.id}/replies?limit=100`);
    onChange((list) =>
      updateComment(list, comment.id, (c) => ({ ...c, replies: page.items, moreReplies: 0 })),
    );
  };
  return (
    <li
      class={`comment${hidden ? ' is-hidden' : ''}`}
      data-comment-id={comment.id}
      data-status={comment.status}
      aria-label={comment.author.displayName}
    >
      <div class="comment-head">
        <strong class="author">{comment.author.displayName}</strong>
        {comment.stance && (
          <span class={`badge stance-${comment.stance}`}>{t(`stance_${comment.stance}`)}</span>
        )}
        {hidden && actions.facilitator && <span class="badge hidden-mark">{t('hidden')}</span>}
        <Time iso={comment.createdAt} />
      </div>
      <CommentBody comment={comment} facilitator={actions.facilitator} />
      <div class="comment-actions">
        <button
          type="button"
          class="agree-comment"
          aria-pressed={!!comment.myAgree}
          disabled={!actions.signedIn}
          onClick={() => void agree()}
        >
          {t('agree')} <span class="count">{comment.agreeCount}</span>
        </button>
        {actions.canPost && comment.status === 'visible' && (
          <button type="button" onClick={() => setReplying(!replying)} aria-expanded={replying}>
            {t('reply')}
          </button>
        )}
        {actions.signedIn && !actions.facilitator && comment.status === 'visible' && (
          <button type="button" disabled={reported} onClick={() => void report()}>
            {reported ? t('reported') : t('report')}
          </button>
        )}
        {actions.facilitator && comment.status !== 'deleted' && (
          <button
            type="button"
            class="mod-toggle"
            onClick={() => void moderate(hidden ? 'restore' : 'hide')}
          >
            {hidden ? t('restore') : t('hide')}
          </button>
        )}
      </div>
      {replying && (
        <CommentForm
          actions={actions}
          parentId={comment.id}
          onDone={() => setReplying(false)}
          label={`${t('reply')} — ${comment.author.displayName}`}
        />
      )}
      {!!comment.replies?.length && <CommentList comments={comment.replies} actions={actions} />}
      {!!comment.moreReplies && (
        <button type="button" class="link" onClick={() => void moreReplies()}>
          {t('moreReplies')} ({comment.moreReplies})
        </button>
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
      <textarea id={id} name="body" required maxLength={2000} rows={parentId ? 2 : 3} />
      <button type="submit">{t('submit')}</button>
    </Form>
  );
}
