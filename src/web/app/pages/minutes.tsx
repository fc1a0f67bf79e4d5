import { durationText, lang, useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { ErrorNote, Skeleton, Time, usePageTitle } from '../../shared/ui';
import type { MinutesView } from '../../../rooms/minutes/minutes.view';
import { Link } from '../app';
import { api, useLoad } from '../context';
import { actionLabel } from './console';

/** Attendance over time: a small line chart of each minute's count, with its figures for AT. */
function AttendanceChart({
  points,
  label,
}: {
  points: { at: string; count: number }[];
  label: string;
}) {
  const current = useStore(lang);
  const t = useT();
  if (points.length === 0) return <p class="muted">{t('noAttendance')}</p>;
  const max = Math.max(1, ...points.map((p) => p.count));
  const w = 300;
  const h = 90;
  const x = (i: number) =>
    points.length === 1 ? w / 2 : (i / (points.length - 1)) * (w - 20) + 10;
  const y = (n: number) => h - 14 - (n / max) * (h - 28);
  const line = points
    .map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.count).toFixed(1)}`)
    .join(' ');
  const time = (iso: string) =>
    new Intl.DateTimeFormat(current === 'ko' ? 'ko-KR' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Asia/Seoul',
    }).format(new Date(iso));
  const summary = points.map((p) => `${time(p.at)} ${p.count}`).join(', ');
  return (
    <figure style={{ margin: 0 }}>
      <svg
        class="spark"
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`${label}: ${summary}`}
        data-testid="attendance-chart"
      >
        <path
          d={line}
          fill="none"
          stroke="currentColor"
          stroke-width="2.5"
          stroke-linejoin="round"
        />
        {points.map((p, i) => (
          <circle key={p.at} cx={x(i)} cy={y(p.count)} r="3" fill="currentColor" />
        ))}
        <text x="10" y={h - 2}>
          {time(points[0]!.at)}
        </text>
        <text x={w - 10} y={h - 2} text-anchor="end">
          {time(points[points.length - 1]!.at)}
        </text>
        <text x="10" y="10">
          {max}
        </text>
      </svg>
    </figure>
  );
}

/** `/rooms/:id/minutes`: the record of an ended town hall, rendered, in Seoul time. */
export function MinutesPage({ id }: { id: string }) {
  const t = useT();
  const current = useStore(lang);
  const minutes = useLoad(() => api.get<MinutesView>(`/rooms/${id}/minutes`), [id]);
  const m = minutes.data;
  usePageTitle(m ? `${t('minutesTitle')}: ${m.room.title}` : t('minutesTitle'));
  if (minutes.error) return <ErrorNote error={minutes.error} />;
  if (!m) return <Skeleton lines={6} height="2rem" />;
  const duration =
    m.room.startedAt && m.room.endedAt
      ? durationText(Date.parse(m.room.endedAt) - Date.parse(m.room.startedAt), current)
      : '—';
  return (
    <article class="stack" data-testid="minutes">
      <p class="crumbs">
        <Link href={`/topics/${m.room.topicId}`}>← {t('discussion')}</Link>
      </p>
      <header class="row between">
        <h1>
          {t('minutesTitle')}: {m.room.title}
        </h1>
        <div class="row">
          <a
            class="btn btn-sm"
            href={`/api/v1/rooms/${id}/minutes?format=md`}
            download={`minutes-${id}.md`}
          >
            ⬇ {t('downloadMd')}
          </a>
          <a
            class="btn btn-sm"
            href={`/api/v1/rooms/${id}/minutes?format=json`}
            download={`minutes-${id}.json`}
          >
            ⬇ {t('downloadJson')}
          </a>
        </div>
      </header>
      <div class="grid">
        <div class="card stat">
          <span class="muted small">{t('duration')}</span>
          <strong data-testid="duration">{duration}</strong>
          <span class="small">
            {m.room.startedAt && <Time iso={m.room.startedAt} style="full" />}
            {m.room.endedAt && (
              <>
                {' – '}
                <Time iso={m.room.endedAt} style="time" />
              </>
            )}
          </span>
        </div>
        <div class="card stat">
          <span class="muted small">{t('attendance')}</span>
          <strong>{t('peak', { n: m.attendance.peak })}</strong>
          <span class="small">{t('messagesCount', { n: m.messages.count })}</span>
        </div>
        <div class="card stat">
          <span class="muted small">{t('questions')}</span>
          <strong>{m.questions.count}</strong>
          <span class="small">
            {t('questionsAnswered', { n: m.questions.answered })} ·{' '}
            {t('questionsUnanswered', { n: m.questions.unanswered })}
          </span>
        </div>
      </div>
      <section class="card" aria-labelledby="att-h">
        <h2 id="att-h">{t('attendanceChart')}</h2>
        <AttendanceChart points={m.attendance.timeline ?? []} label={t('attendanceChart')} />
      </section>
      <div class="two-col">
        <div class="stack">
          <section class="card" aria-labelledby="unanswered-h">
            <h2 id="unanswered-h">
              {t('questionsUnanswered', { n: m.unansweredQuestions.length })}
            </h2>
            {m.unansweredQuestions.length === 0 ? (
              <p class="muted">{t('noItems')}</p>
            ) : (
              <ol>
                {m.unansweredQuestions.map((q) => (
                  <li key={q.id}>
                    <strong>{q.author.displayName}</strong>: <span class="user-text">{q.body}</span>{' '}
                    <span class="muted small">▲ {q.upvotes}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section class="card" aria-labelledby="top-h">
            <h2 id="top-h">{t('topAgreed')}</h2>
            {m.topAgreed.length === 0 ? (
              <p class="muted">{t('noItems')}</p>
            ) : (
              <ol>
                {m.topAgreed.map((c) => (
                  <li key={c.id}>
                    <strong>{c.author.displayName}</strong>: <span class="user-text">{c.body}</span>{' '}
                    <span class="muted small">👍 {c.agreeCount}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
        <div class="stack">
          <section class="card" aria-labelledby="fac-h">
            <h2 id="fac-h">{t('facilitators')}</h2>
            <ul class="plain-list">
              {m.facilitators.map((f) => (
                <li key={f.id}>{f.displayName}</li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="mod-h">
            <h2 id="mod-h">{t('moderationActions')}</h2>
            {m.moderation.length === 0 ? (
              <p class="muted">{t('noItems')}</p>
            ) : (
              <ol class="timeline" data-testid="minutes-moderation">
                {m.moderation.map((a, i) => (
                  <li key={i}>
                    <Time iso={a.at} style="time" /> · {actionLabel(t, a.action)} ·{' '}
                    {a.actor?.displayName ?? t('system')}
                    {a.target.displayName && <> → {a.target.displayName}</>}
                    {a.reason && (
                      <>
                        {' '}
                        · <span class="user-text">{a.reason}</span>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>
    </article>
  );
}
