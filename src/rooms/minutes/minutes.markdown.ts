import { formatDate } from '../../core/http/i18n/localize';
import { type MinutesPerson, type MinutesView } from './minutes.view';

const CHARACTER_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '~': '\\~',
};

/**
 * User text (titles, names, questions, messages, reasons) as inert inline Markdown text: one
 * line (a line break could open a heading, a list, a quote or a fence), HTML's `& < >` as
 * entities (so no tag or entity of the user's survives), emphasis, code, link, table and
 * strikethrough characters backslash-escaped, and what would open a block at the start of a
 * list item — `#`, `-`, `+`, `1.` — escaped too. What renders is exactly the text typed.
 */
export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(/\s+/gu, ' ').trim();
  const escaped = oneLine.replace(/[&<>\\`*_[\]|~]/g, (c) => CHARACTER_ESCAPES[c] ?? c);
  return escaped
    .replace(/^#/, '\\#')
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

const ACTION_LABELS: Record<string, string> = {
  'room.create': '방 만들기',
  'room.update': '방 설정 변경',
  'room.start': '시작',
  'room.end': '종료',
  'room.pin': '메시지 고정',
  'room.announce': '공지',
  'room.lock': '채팅 잠금',
  'room.slowmode': '슬로 모드',
  'room.mute': '발언 제한',
  'room.ban': '내보내기',
  'comment.hide': '메시지 숨김',
  'comment.restore': '메시지 복원',
  'comment.auto_hide': '신고 누적 자동 숨김',
  'report.resolve': '신고 처리',
  'question.approve': '질문 승인',
  'question.answer': '질문 답변 완료',
  'question.dismiss': '질문 제외',
  'question.highlight': '질문 강조',
  'question.unhighlight': '질문 강조 해제',
  'queue.next': '발언권 넘기기',
  'queue.clear': '발언 종료',
  'queue.remove': '발언 신청 취소',
};

const TARGET_LABELS: Record<string, string> = {
  room: '방',
  comment: '메시지',
  question: '질문',
  user: '참가자',
  report: '신고',
};

const person = (p: MinutesPerson | null): string =>
  p ? escapeMarkdown(p.displayName) || '(이름 없음)' : '시스템';

const list = (items: string[]): string[] => (items.length ? items.map((i) => `- ${i}`) : ['없음']);

const section = (title: string, lines: string[]): string[] => ['', `## ${title}`, '', ...lines];

/** A time as the city reads it: Seoul local time (`2026년 12월 1일 오후 3:58`). */
const seoul = (iso: string | null): string => (iso ? formatDate(new Date(iso), 'ko') : '—');

/** How long the room ran, in words: `1시간 5분`, `12분`, or `1분 미만` (a short test). */
export function durationText(startedAt: string | null, endedAt: string | null): string {
  if (!startedAt || !endedAt) return '—';
  const seconds = Math.max(0, (Date.parse(endedAt) - Date.parse(startedAt)) / 1000);
  if (seconds < 60) return '1분 미만';
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}시간${minutes % 60 ? ` ${minutes % 60}분` : ''}` : `${minutes}분`;
}

/** The minutes as a Korean Markdown document (the same content as the JSON). */
export function renderMinutesMarkdown(m: MinutesView): string {
  const { room, questions } = m;
  const lines = [
    `# 회의록: ${escapeMarkdown(room.title)}`,
    '',
    `- 시작: ${seoul(room.startedAt)}`,
    `- 종료: ${seoul(room.endedAt)}`,
    `- 진행 시간: ${durationText(room.startedAt, room.endedAt)}`,
    `- 방 ID: ${room.id}`,
    `- 의제 ID: ${room.topicId}`,
    ...section('진행자', list(m.facilitators.map((f) => person(f)))),
    ...section('참석 최대 인원', [`${m.attendance.peak}명`]),
    ...section('메시지', [`${m.messages.count}개`]),
    ...section('질문', [
      `- 전체: ${questions.count}개`,
      `- 답변됨: ${questions.answered}개`,
      `- 답변되지 않음: ${questions.unanswered}개`,
      `- 제외됨: ${questions.dismissed}개`,
    ]),
    ...section(
      '답변되지 않은 질문',
      list(
        m.unansweredQuestions.map(
          (q) => `(추천 ${q.upvotes}) ${person(q.author)}: ${escapeMarkdown(q.body)}`,
        ),
      ),
    ),
    ...section(
      '공감 많은 메시지',
      list(
        m.topAgreed.map(
          (c) => `(공감 ${c.agreeCount}) ${person(c.author)}: ${escapeMarkdown(c.body)}`,
        ),
      ),
    ),
    ...section(
      '운영 조치',
      list(
        m.moderation.map((a) => {
          const label = ACTION_LABELS[a.action] ?? escapeMarkdown(a.action);
          const kind = TARGET_LABELS[a.target.type] ?? escapeMarkdown(a.target.type);
          const target = a.target.displayName
            ? `${kind} (${escapeMarkdown(a.target.displayName)})`
            : kind;
          const reason = a.reason ? ` · 사유: ${escapeMarkdown(a.reason)}` : '';
          return `${seoul(a.at)} · ${label} · ${person(a.actor)} → ${target}${reason}`;
        }),
      ),
    ),
    ...section(
      '반응',
      list(
        Object.entries(m.reactions)
          .sort(([, a], [, b]) => b - a)
          .map(([emoji, count]) => `${escapeMarkdown(emoji)} ${count}`),
      ),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
