import { type Lang } from '../../core/http/i18n/lang';
import { fill } from '../../core/http/i18n/localize';
import { MESSAGES, type MessageKey, TERMS } from '../../core/http/i18n/messages';
import { readHiddenReason } from '../../protocol/hidden-reason';
import { type NotificationType } from '../../protocol/views';

/** One notification as an email shows it. */
export interface MailItem {
  type: NotificationType;
  data: Record<string, unknown>;
  topicId: string | null;
  roomId: string | null;
  budgetId?: string | null;
  projectId?: string | null;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  lang: Lang;
  name: string;
  /** The server's public origin, for the links back to the pages. */
  origin: string;
  unsubscribeUrl: string;
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const say = (key: MessageKey, lang: Lang, params?: Record<string, string | number>): string =>
  fill(MESSAGES[key][lang], params, lang);

function keyOf(item: MailItem): MessageKey {
  switch (item.type) {
    case 'topic.ladder':
      return 'email.topic.ladder';
    case 'topic.status':
      return item.data.to === 'rejected'
        ? 'email.topic.status.rejected'
        : item.data.to === 'closed'
          ? 'email.topic.status.closed'
          : 'email.topic.status.deliberating';
    case 'topic.answered':
      return 'email.topic.answered';
    case 'comment.reply':
      return 'email.comment.reply';
    case 'comment.hidden':
      return 'email.comment.hidden';
    case 'room.live':
      return 'email.room.live';
    case 'answer.due':
      return item.data.overdue === true ? 'email.answer.overdue' : 'email.answer.due';
    case 'budget.phase':
      return 'email.budget.phase';
    case 'project.reviewed':
      return item.data.feasible === true
        ? 'email.project.reviewed.feasible'
        : 'email.project.reviewed.unfeasible';
    case 'project.selected':
      return item.data.selected === true ? 'email.project.selected' : 'email.project.not_selected';
  }
}

/** A hidden comment's reason: the system's codes in the reader's language, a person's as written. */
function hiddenReason(stored: string, lang: Lang): string {
  const read = readHiddenReason(stored);
  if ('text' in read) return read.text;
  if (read.code === 'reports_pending') return say('hidden.reports_pending', lang);
  return say('hidden.reviewed', lang, { reason: say(`report_reason.${read.report}`, lang) });
}

/** The sentence of one notification; its parameters are people's text, `escape`d for HTML. */
function line(item: MailItem, lang: Lang, escape: (s: string) => string): string {
  const text = (v: unknown): string =>
    escape(typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const reason =
    typeof item.data.reason === 'string' && item.data.reason.trim() !== ''
      ? item.type === 'comment.hidden'
        ? hiddenReason(item.data.reason, lang)
        : item.data.reason
      : say('email.no_reason', lang);
  return say(keyOf(item), lang, {
    title: text(item.data.title),
    count: typeof item.data.count === 'number' ? item.data.count : text(item.data.count),
    reason: text(reason),
    excerpt: text(item.data.excerpt),
    by: text(item.data.by),
    roomTitle: text(item.data.roomTitle),
    budgetTitle: text(item.data.budgetTitle),
    phase: text(phaseName(item.data.to, lang)),
  });
}

/** A budget phase by its name in `lang` (the phases are among the server's terms). */
function phaseName(phase: unknown, lang: Lang): string {
  if (typeof phase !== 'string') return '';
  return (TERMS as Record<string, Record<Lang, string> | undefined>)[phase]?.[lang] ?? phase;
}

/** The page a notification is about: its room, project, budget or topic, or else the inbox. */
export function linkOf(item: MailItem, origin: string): string {
  if (item.type === 'room.live' && item.roomId) return `${origin}/rooms/${item.roomId}`;
  if (item.projectId) return `${origin}/projects/${item.projectId}`;
  if (item.budgetId) return `${origin}/budgets/${item.budgetId}`;
  if (item.topicId) return `${origin}/topics/${item.topicId}`;
  return `${origin}/me/notifications`;
}

const oneLine = (s: string, max = 120): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
};

/**
 * An email of one notification (`cadence` immediate) or a digest of several, in plain text and
 * HTML. Every text a person wrote (titles, excerpts, names, reasons) is escaped in the HTML part;
 * the plain part is text by nature.
 */
export function renderMail(
  items: MailItem[],
  ctx: MailContext,
  digest?: 'daily' | 'weekly',
): MailContent {
  const { lang } = ctx;
  const subject = digest
    ? say(`email.subject.digest.${digest}`, lang, { count: items.length })
    : say('email.subject.prefix', lang, {
        line: oneLine(line(items[0]!, lang, (s) => s)),
      });
  const greeting = say('email.greeting', lang, { name: ctx.name });
  const intro = digest ? say(`email.digest.intro.${digest}`, lang) : null;
  const settingsUrl = `${ctx.origin}/me/notification-settings`;
  const why = say('email.footer.why', lang);
  const settings = say('email.footer.settings', lang);
  const unsubscribe = say('email.footer.unsubscribe', lang);
  const open = say('email.open', lang);

  const text = [
    greeting,
    '',
    ...(intro ? [intro, ''] : []),
    ...items.flatMap((item) => [
      `${digest ? '- ' : ''}${line(item, lang, (s) => s)}`,
      `  ${linkOf(item, ctx.origin)}`,
    ]),
    '',
    '--',
    why,
    `${settings}: ${settingsUrl}`,
    `${unsubscribe}: ${ctx.unsubscribeUrl}`,
    '',
  ].join('\n');

  const h = escapeHtml;
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${h(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 40em">
<p>${h(greeting)}</p>
${intro ? `<p>${h(intro)}</p>\n` : ''}<ul>
${items
  .map(
    (item) =>
      `<li><p>${line(item, lang, h)}<br><a href="${h(linkOf(item, ctx.origin))}">${h(open)}</a></p></li>`,
  )
  .join('\n')}
</ul>
<hr>
<p style="font-size: 0.9em; color: #555">${h(why)}<br>
<a href="${h(settingsUrl)}">${h(settings)}</a> · <a href="${h(ctx.unsubscribeUrl)}">${h(unsubscribe)}</a></p>
</body></html>
`;
  return { subject, text, html };
}
