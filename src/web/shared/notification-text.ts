import { type NotificationView } from '../../protocol/views';
import { phaseName } from './budget-i18n';
import { hiddenReasonText } from './hidden-reason-text';
import { lang, type MessageKey, type Translate } from './i18n';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What a notice says, in the page's language: built from its kind and data, never from HTML. */
export function notificationText(n: NotificationView, t: Translate): string {
  const d = n.data;
  const title = str(d.title);
  switch (n.type) {
    case 'topic.ladder':
      return t('n_topic_ladder', {
        title,
        rung: t(`rung_${str(d.rung)}` as MessageKey),
        count: typeof d.count === 'number' ? d.count : 0,
      });
    case 'topic.status': {
      const to = str(d.to);
      if (to === 'deliberating' || to === 'closed' || to === 'rejected')
        return t(`n_topic_status_${to}`, { title });
      return t('n_other', { title });
    }
    case 'topic.answered':
      return t('n_topic_answered', { title });
    case 'comment.reply':
      return t('n_comment_reply', { title, by: str(d.by) });
    case 'comment.hidden':
      return t('n_comment_hidden', { title });
    case 'room.live':
      return t('n_room_live', { title, roomTitle: str(d.roomTitle) });
    case 'answer.due':
      return t(d.overdue === true ? 'n_answer_overdue' : 'n_answer_due', { title });
    case 'budget.phase':
      return t('n_budget_phase', { title, phase: phaseName(str(d.to), lang.get()) });
    case 'project.reviewed':
      return t(d.feasible === true ? 'n_project_feasible' : 'n_project_unfeasible', { title });
    case 'project.selected':
      return t(d.selected === true ? 'n_project_selected' : 'n_project_not_selected', {
        title,
        budgetTitle: str(d.budgetTitle),
      });
  }
}

/** The second line of a notice: the reason, the excerpt, or nothing. */
export function notificationDetail(n: NotificationView, t: Translate): string | null {
  const d = n.data;
  if (n.type === 'comment.hidden' && str(d.reason))
    return t('n_reason', { reason: hiddenReasonText(str(d.reason), t) });
  if (n.type === 'topic.status' && str(d.reason)) return t('n_reason', { reason: str(d.reason) });
  if ((n.type === 'comment.reply' || n.type === 'topic.answered') && str(d.excerpt))
    return str(d.excerpt);
  if (n.type === 'project.reviewed' && d.feasible !== true && str(d.excerpt))
    return t('n_reason', { reason: str(d.excerpt) });
  return null;
}

/** Where a notice leads: its room when it went live, its project or budget, else its topic. */
export function notificationHref(n: NotificationView): string {
  if (n.type === 'room.live' && n.roomId) return `/rooms/${n.roomId}`;
  if (n.projectId) return `/projects/${n.projectId}`;
  if (n.budgetId) return `/budgets/${n.budgetId}`;
  if (n.topicId) return `/topics/${n.topicId}`;
  return '/me/notifications';
}
