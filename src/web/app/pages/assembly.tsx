import { useEffect, useRef, useState } from 'preact/hooks';
import { query } from '../../shared/api';
import { type BudgetKey, useBT, won } from '../../shared/budget-i18n';
import { formatTime, lang } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { type Page } from '../../shared/types';
import { ErrorNote, Skeleton, usePageTitle } from '../../shared/ui';
import { type BudgetTally } from '../../../protocol/live';
import type { BudgetView, ProjectView } from '../../../budgets/budget-queries';
import { Link } from '../app';
import { api, live, useLoad } from '../context';
import '../../shared/assembly.css';

type Heading = BudgetTally['headings'][number];
type Outcome = Heading['projects'][number]['reason'];

const OUTCOMES: Outcome[] = ['selected', 'did_not_fit', 'unfeasible'];

function useWon(): (n: number) => string {
  const current = useStore(lang);
  return (n) => won(n, current);
}

/** A clock for countdowns: one tick a second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/**
 * A budget followed live: its view and projects (for titles and costs), its phase as
 * `budget:phase` moves it, and its tally while the server makes it public (`budget:tally`,
 * or the tally in the watch's answer). The server never sends a count before it may be
 * shown, so `tally` stays null until then.
 */
export function useBudgetLive(id: string) {
  const budget = useLoad(() => api.get<BudgetView>(`/budgets/${id}`), [id]);
  const projects = useLoad(
    () => api.get<Page<ProjectView>>(`/budgets/${id}/projects${query({ limit: 100 })}`),
    [id],
  );
  const [tally, setTally] = useState<BudgetTally | null>(null);
  const [phase, setPhase] = useState<string | null>(null);
  // The last timeline number applied: a phase event older than the watch's answer is dropped.
  const seq = useRef(-1);
  const connection = useStore(live);
  useEffect(() => {
    const keep = (next: BudgetTally) =>
      // A live tally still in flight must not replace the final result that overtook it.
      setTally((held) => (held?.final && !next.final ? held : next));
    const offEvent = connection.onEvent((event, payload) => {
      if (payload.budgetId !== id) return;
      if (event === 'budget:tally') keep(payload as unknown as BudgetTally);
      else if (event === 'budget:phase' && Number(payload.seq) > seq.current) {
        seq.current = Number(payload.seq);
        setPhase(String(payload.to));
      }
    });
    const offConnect = connection.onConnect(() => {
      void connection
        .request('budget:watch', { budgetId: id })
        .then((ack) => {
          if (ack.seq >= seq.current) {
            seq.current = ack.seq;
            setPhase(ack.phase);
          }
          if (ack.tally) keep(ack.tally);
        })
        .catch(() => undefined);
    });
    return () => {
      offEvent();
      offConnect();
      if (connection.connected)
        void connection.request('budget:unwatch', { budgetId: id }).catch(() => undefined);
    };
  }, [connection, id]);
  const current = phase ?? budget.data?.phase ?? null;
  return {
    budget: budget.data,
    error: budget.error,
    projects: new Map((projects.data?.items ?? []).map((p) => [p.id, p])),
    phase: current,
    tally,
  };
}

type Clock =
  | { state: 'before'; target: number | null }
  | { state: 'open'; target: number | null }
  | { state: 'closed'; final: boolean };

/** Where the vote stands by the clock and the phase: before, open (with its close) or closed. */
function clockOf(budget: BudgetView, phase: string, now: number, tally: BudgetTally | null): Clock {
  const dates = budget.phases.find((p) => p.phase === 'voting');
  const opens = dates?.startsAt ? Date.parse(dates.startsAt) : null;
  const closes = dates?.endsAt ? Date.parse(dates.endsAt) : null;
  const order = ['proposals', 'review', 'objection', 'voting', 'results', 'execution'];
  const at = order.indexOf(phase);
  if (at < order.indexOf('voting')) return { state: 'before', target: opens };
  if (at > order.indexOf('voting')) return { state: 'closed', final: !!tally?.final };
  // The phase moves on a moment after the close (by the scheduler or a facilitator): from the
  // close on, the hall already reads "closed" while the result is being drawn.
  if (closes !== null && now >= closes) return { state: 'closed', final: false };
  return { state: 'open', target: closes };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The time left as a clock face (01:02:03, or 2일 01:02:03) and as words for assistive tech. */
function timeLeft(ms: number, bt: ReturnType<typeof useBT>): { face: string; words: string } {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const clock = `${pad(h)}:${pad(m)}:${pad(s)}`;
  return {
    face: d > 0 ? `${bt('dayUnit', { n: d })} ${clock}` : clock,
    words: d > 0 ? bt('timeLeft', { d, h, m, s }) : bt('timeLeftShort', { h, m, s }),
  };
}

/** The countdown to the close (or the opening), or the closed state. */
function Countdown({ clock, now, big }: { clock: Clock; now: number; big?: boolean }) {
  const bt = useBT();
  const current = useStore(lang);
  const cls = `countdown-box${big ? ' big' : ''} state-${clock.state}`;
  if (clock.state === 'closed')
    return (
      <div class={cls} role="status" data-testid="vote-state" data-state="closed">
        <p class="countdown-title">{bt('votingClosed')}</p>
        <p class="countdown-sub">{clock.final ? bt('announced') : bt('counting')}</p>
      </div>
    );
  const label = clock.state === 'open' ? bt('untilClose') : bt('untilOpen');
  const left = clock.target === null ? null : timeLeft(clock.target - now, bt);
  return (
    <div class={cls} data-testid="vote-state" data-state={clock.state}>
      {left ? (
        <>
          <p class="countdown-label">{label}</p>
          <p
            class="countdown-face"
            role="timer"
            aria-live="off"
            aria-label={`${label} ${left.words}`}
          >
            <span aria-hidden="true" data-testid="countdown">
              {left.face}
            </span>
          </p>
          <p class="countdown-sub">
            {clock.state === 'open'
              ? bt('closesAt', { time: formatTime(new Date(clock.target!).toISOString(), current) })
              : bt('opensAt', { time: formatTime(new Date(clock.target!).toISOString(), current) })}
          </p>
        </>
      ) : (
        <p class="countdown-title">
          {clock.state === 'open' ? bt('votingOpen') : bt('votingNotYet')}
        </p>
      )}
    </div>
  );
}

const ballotsOf = (h: Heading): number => h.ballots.online + h.ballots.onsite + h.ballots.paper;

/** One heading of the tally as the hall reads it: money against the cap, projects in order. */
function TallyHeading({
  heading: h,
  projects,
  final,
  level,
}: {
  heading: Heading;
  projects: Map<string, ProjectView>;
  final: boolean;
  level: 'h2' | 'h3';
}) {
  const bt = useBT();
  const w = useWon();
  const H = level;
  const share = h.amount > 0 ? Math.min(100, (h.spent / h.amount) * 100) : 0;
  // Unfeasible projects were never on the ballot: the hall follows only the ones voted on.
  const voted = h.projects.filter((p) => p.reason !== 'unfeasible');
  return (
    <section
      class="tally-heading"
      aria-labelledby={`th-${h.headingId}`}
      data-testid={`tally-${h.name}`}
    >
      <div class="tally-top">
        <H id={`th-${h.headingId}`}>{h.name}</H>
        <span class="tally-voters" data-testid="tally-voters">
          {bt('voters', { n: ballotsOf(h).toLocaleString() })}
        </span>
      </div>
      <p class="tally-money">{bt('moneyOfCap', { spent: w(h.spent), cap: w(h.amount) })}</p>
      <div
        class="cap-bar"
        role="img"
        aria-label={`${bt('spentLabel', { amount: w(h.spent) })}, ${bt('leftOver', { amount: w(h.remaining) })}`}
      >
        <span class="cap-spent" style={{ width: `${share}%` }} />
      </div>
      <ol class="tally-list">
        {voted.map((p, i) => {
          const project = projects.get(p.projectId);
          const label = final
            ? bt(`reason_${p.reason}` as BudgetKey)
            : bt(`soFar_${p.reason}` as BudgetKey);
          return (
            <li key={p.projectId} class={`tally-row out-${p.reason}`} data-outcome={p.reason}>
              <span class="tally-rank" aria-hidden="true">
                {i + 1}
              </span>
              <span class="tally-title">{project?.title ?? '…'}</span>
              <span class="tally-cost">{project ? w(project.cost) : ''}</span>
              <span class="tally-outcome">
                <span aria-hidden="true">{p.reason === 'selected' ? '✓ ' : '✕ '}</span>
                {label}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function Tally({
  tally,
  projects,
  level,
}: {
  tally: BudgetTally;
  projects: Map<string, ProjectView>;
  level: 'h2' | 'h3';
}) {
  const bt = useBT();
  return (
    <>
      <p class={`tally-state ${tally.final ? 'final' : 'live'}`} data-testid="tally-state">
        {!tally.final && <span class="live-dot" aria-hidden="true" />}
        {tally.final ? bt('final') : bt('liveSoFar')}
      </p>
      <div class="tally-grid">
        {tally.headings.map((h) => (
          <TallyHeading
            key={h.headingId}
            heading={h}
            projects={projects}
            final={tally.final}
            level={level}
          />
        ))}
      </div>
    </>
  );
}

/** The assembly panel of one budget inside its live room: countdown, and the tally if public. */
function AssemblyPanel({ budgetId }: { budgetId: string }) {
  const bt = useBT();
  const now = useNow();
  const { budget, projects, phase, tally } = useBudgetLive(budgetId);
  if (!budget || !phase) return null;
  const clock = clockOf(budget, phase, now, tally);
  return (
    <section class="assembly card" aria-labelledby={`asm-${budget.id}`} data-testid="assembly">
      <div class="assembly-head">
        <div>
          <p class="meta">{bt('assembly')}</p>
          <h2 id={`asm-${budget.id}`}>{budget.title}</h2>
        </div>
        <Countdown clock={clock} now={now} />
      </div>
      <p class="hint">{bt('assemblyHint', { title: budget.title })}</p>
      {tally ? (
        <Tally tally={tally} projects={projects} level="h3" />
      ) : (
        <p class="notice" data-testid="no-tally">
          {bt('noTallyYet')}
        </p>
      )}
      <div class="row">
        {clock.state === 'open' && (
          <Link class="btn btn-primary" href={`/budgets/${budget.id}/ballot`}>
            🗳️ {bt('vote')}
          </Link>
        )}
        <a class="btn" href={`/budgets/${budget.id}/screen`} target="_blank" rel="noopener">
          📽️ {bt('screenView')}
        </a>
        {tally && (
          <Link class="btn" href={`/budgets/${budget.id}/results`}>
            📊 {bt('results')}
          </Link>
        )}
      </div>
    </section>
  );
}

/**
 * The budgets attached to a room (a budget names its assembly room, `roomId`): one panel each,
 * usually one. Nothing when the room is no budget's.
 */
export function AssemblyPanels({ roomId, spaceId }: { roomId: string; spaceId: string }) {
  const budgets = useLoad(
    () => api.get<{ items: BudgetView[] }>(`/spaces/${spaceId}/budgets`),
    [spaceId],
  );
  const attached = (budgets.data?.items ?? []).filter((b) => b.roomId === roomId);
  return (
    <>
      {attached.map((b) => (
        <AssemblyPanel key={b.id} budgetId={b.id} />
      ))}
    </>
  );
}

/**
 * The projector view of an assembly (/budgets/:id/screen): no navigation and no buttons, large
 * type, high contrast, readable from the back of a hall. The countdown to the close, the tally
 * moving live when the budget's tally is public, "투표 마감" from the close and the final
 * result once it is drawn. Without a public tally it shows no count at all: the server gives
 * none before the results, and the screen adds none.
 */
export function ScreenPage({ id }: { id: string }) {
  const bt = useBT();
  const now = useNow();
  const { budget, error, projects, phase, tally } = useBudgetLive(id);
  usePageTitle(budget ? `${bt('screenTitle')} — ${budget.title}` : undefined);
  if (error) return <ErrorNote error={error} />;
  if (!budget || !phase) return <Skeleton lines={3} height="4rem" />;
  const clock = clockOf(budget, phase, now, tally);
  return (
    <div class={`screen state-${clock.state}`} data-testid="screen">
      <header class="screen-head">
        <div>
          <p class="screen-kicker">
            {bt('budgets')} · {bt(`phase_${phase}` as BudgetKey)}
          </p>
          <h1>{budget.title}</h1>
        </div>
        <Countdown clock={clock} now={now} big />
      </header>
      {tally ? (
        <Tally tally={tally} projects={projects} level="h2" />
      ) : (
        <p class="screen-note" data-testid="no-tally">
          {bt('noTallyYet')}
        </p>
      )}
    </div>
  );
}

/** The results of one heading as a chart: the cap split into spent and left, a bar per project. */
export function ResultsChart({
  heading: h,
  projects,
}: {
  heading: Heading;
  projects: Map<string, ProjectView>;
}) {
  const bt = useBT();
  const w = useWon();
  // One scale for the cap and the projects: a bar's length is its cost against the cap.
  const scale = Math.max(h.amount, ...h.projects.map((p) => projects.get(p.projectId)?.cost ?? 0));
  const pct = (n: number): string => `${scale > 0 ? (n / scale) * 100 : 0}%`;
  return (
    <div class="rchart" data-testid={`result-${h.name}`}>
      <figure class="rchart-figure" aria-hidden="true">
        {/* The cap shares the grid of the project bars, so the two read on one scale. */}
        <div class="rchart-row rchart-caprow">
          <span class="rchart-name">
            {bt('cap')} {w(h.amount)}
          </span>
          <span class="rchart-barwrap">
            <span class="rchart-track" style={{ width: pct(h.amount) }}>
              <span
                class="rchart-spent"
                style={{ width: h.amount ? `${(h.spent / h.amount) * 100}%` : 0 }}
              />
            </span>
            <span class="rchart-caplabels">
              <span>
                <i class="swatch spent" /> {bt('spentLabel', { amount: w(h.spent) })}
              </span>
              <span>
                <i class="swatch left" /> {bt('leftOver', { amount: w(h.remaining) })}
              </span>
            </span>
          </span>
        </div>
        <ol class="rchart-bars">
          {h.projects.map((p) => {
            const project = projects.get(p.projectId);
            const cost = project?.cost ?? 0;
            return (
              <li key={p.projectId} class={`rchart-row out-${p.reason}`} data-outcome={p.reason}>
                <span class="rchart-name">{project?.title ?? ''}</span>
                <span class="rchart-barwrap">
                  <span class="rchart-bar" style={{ width: pct(cost) }} />
                  <span class="rchart-value">
                    {w(cost)} · {bt(`reason_${p.reason}` as BudgetKey)}
                  </span>
                </span>
              </li>
            );
          })}
        </ol>
        <figcaption class="rchart-legend">
          <span class="sr-only">{bt('legend')}: </span>
          {OUTCOMES.map((o) => (
            <span key={o} class={`legend-item out-${o}`}>
              <i class="swatch" /> {bt(`reason_${o}` as BudgetKey)}
            </span>
          ))}
          <span class="muted small">{bt('chartHint')}</span>
        </figcaption>
      </figure>
      <div class="table-wrap">
        <table class="rtable">
          <caption>{bt('tableCaption', { name: h.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{bt('colRank')}</th>
              <th scope="col">{bt('colProject')}</th>
              <th scope="col" class="num">
                {bt('colCost')}
              </th>
              <th scope="col" class="num">
                {bt('colScore')}
              </th>
              <th scope="col">{bt('colOutcome')}</th>
            </tr>
          </thead>
          <tbody>
            {h.projects.map((p, i) => {
              const project = projects.get(p.projectId);
              return (
                <tr key={p.projectId} class={`out-${p.reason}`}>
                  <td>{p.reason === 'unfeasible' ? '—' : i + 1}</td>
                  <th scope="row">
                    <Link href={`/projects/${p.projectId}`}>{project?.title ?? p.projectId}</Link>
                  </th>
                  <td class="num">{project ? w(project.cost) : ''}</td>
                  <td class="num">
                    {p.reason === 'unfeasible' ? (
                      <>
                        <span aria-hidden="true">—</span>
                        <span class="sr-only">{bt('notOnBallot')}</span>
                      </>
                    ) : (
                      p.score
                    )}
                  </td>
                  <td>
                    <span class="legend-item">
                      <i class="swatch" aria-hidden="true" />{' '}
                      {bt(`reason_${p.reason}` as BudgetKey)}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {bt('capRow')}
              </th>
              <td class="num">{w(h.amount)}</td>
              <td colSpan={2}>
                {bt('spentLabel', { amount: w(h.spent) })} ·{' '}
                {bt('leftOver', { amount: w(h.remaining) })}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
