import { useEffect, useState } from 'preact/hooks';
import { ApiError, query } from '../../shared/api';
import { type BudgetKey, useBT, won } from '../../shared/budget-i18n';
import { useOT } from '../../shared/budget-office-i18n';
import { lang } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { type Page } from '../../shared/types';
import {
  Dialog,
  EmptyState,
  ErrorNote,
  Form,
  Skeleton,
  text,
  Time,
  usePageTitle,
} from '../../shared/ui';
import { type BudgetTally } from '../../../protocol/live';
import { Link } from '../app';
import { ResultsChart } from './assembly';
import { api, live, session, useLoad } from '../context';
import type { BudgetView, HeadingView, ProjectView } from '../../../budgets/budget-queries';
import { BUDGET_PHASES } from '../../../budgets/budget-rules';
import type { BallotView } from '../../../budgets/budgets.service';
import { navigate } from '../router';
import { FollowButton } from './notifications';

/** The server's own views of a budget (type imports: nothing of the server is bundled). */
export type { BudgetView };
type Heading = HeadingView;
type Project = ProjectView;
type Ballot = BallotView;

// The server's list of phases, in order (a dependency-free module: only the list is bundled).
const PHASES = BUDGET_PHASES;
const tallyPublic = (b: BudgetView): boolean =>
  b.phase === 'results' || b.phase === 'execution' || (b.phase === 'voting' && b.liveTally);

function useWon(): (n: number) => string {
  const current = useStore(lang);
  return (n) => won(n, current);
}

function ProjectStatus({ status }: { status: Project['status'] }) {
  const bt = useBT();
  const tone =
    status === 'selected'
      ? 'ok'
      : status === 'feasible'
        ? 'status-deliberating'
        : status === 'unfeasible'
          ? 'status-rejected'
          : '';
  return <span class={`badge ${tone}`}>{bt(`ps_${status}` as BudgetKey)}</span>;
}

function ruleText(b: BudgetView, bt: ReturnType<typeof useBT>): string {
  if (b.rule.kind === 'knapsack') {
    const base = bt('ruleKnapsack');
    return b.rule.minSpendRatio
      ? `${base} · ${bt('minSpend', { n: Math.round(b.rule.minSpendRatio * 100) })}`
      : base;
  }
  if (b.rule.kind === 'ranked') return bt('ruleRanked', { n: b.rule.maxChoices ?? 3 });
  return b.rule.maxChoices ? bt('ruleApproval', { n: b.rule.maxChoices }) : bt('ruleApprovalAny');
}

/** The phases in order with their dates, the current one marked. */
function PhaseList({ budget }: { budget: BudgetView }) {
  const bt = useBT();
  const current = PHASES.indexOf(budget.phase);
  return (
    <ol class="budget-phases" aria-label={bt('phases')}>
      {PHASES.map((p, i) => {
        const dates = budget.phases.find((x) => x.phase === p);
        return (
          <li
            key={p}
            class={i < current ? 'done' : i === current ? 'current' : ''}
            aria-current={i === current ? 'step' : undefined}
          >
            <strong>{bt(`phase_${p}` as BudgetKey)}</strong>
            {dates?.startsAt && (
              <span class="meta">
                <Time iso={dates.startsAt} style="date" />
                {dates.endsAt && <Time iso={dates.endsAt} style="date" />}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export function BudgetPage({ id }: { id: string }) {
  const bt = useBT();
  const ot = useOT();
  const w = useWon();
  const signedIn = !!useStore(session);
  const [headingId, setHeadingId] = useState('');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState('random');
  const [proposing, setProposing] = useState(false);
  const budget = useLoad(() => api.get<BudgetView>(`/budgets/${id}`), [id]);
  const projects = useLoad(
    () =>
      api.get<Page<Project>>(
        `/budgets/${id}/projects${query({ headingId, status, sort, limit: 100 })}`,
      ),
    [id, headingId, status, sort],
  );
  usePageTitle(budget.data?.title);
  if (budget.error) return <ErrorNote error={budget.error} />;
  if (!budget.data) return <Skeleton lines={4} height="2rem" />;
  const b = budget.data;
  return (
    <>
      <section class="hero">
        <p class="meta">
          <span>{bt('budgets')}</span>
          <span>{bt('total', { amount: w(b.totalAmount) })}</span>
        </p>
        <h1>{b.title}</h1>
        {b.description && <p class="lead user-text">{b.description}</p>}
        <p>
          <span class="badge status-deliberating">{bt(`phase_${b.phase}` as BudgetKey)}</span>{' '}
          {ruleText(b, bt)}
        </p>
        <div class="row">
          {b.phase === 'voting' && (
            <Link class="btn btn-primary" href={`/budgets/${b.id}/ballot`}>
              🗳️ {bt('vote')}
            </Link>
          )}
          {tallyPublic(b) && (
            <Link class="btn" href={`/budgets/${b.id}/results`}>
              📊 {bt('results')}
            </Link>
          )}
          {b.phase === 'voting' && b.viewer.canManage && (
            <Link class="btn" href={`/budgets/${b.id}/kiosk`}>
              🧾 {bt('kiosk')}
            </Link>
          )}
          {b.viewer.canManage && (
            <Link class="btn" href={`/budgets/${b.id}/manage`}>
              ⚙️ {ot('manage')}
            </Link>
          )}
          {b.phase === 'proposals' && signedIn && (
            <button type="button" class="primary" onClick={() => setProposing(true)}>
              ✍️ {bt('propose')}
            </button>
          )}
          <FollowButton budgetId={b.id} hint="followBudgetHint" />
        </div>
      </section>
      <PhaseList budget={b} />
      {proposing && (
        <Dialog title={bt('propose')} onClose={() => setProposing(false)} id="propose-project">
          <Form
            label={bt('propose')}
            onSubmit={async (data) => {
              const created = await api.post<Project>(`/budgets/${b.id}/projects`, {
                headingId: text(data, 'headingId'),
                title: text(data, 'title'),
                summary: text(data, 'summary'),
                body: text(data, 'body'),
                amount: Number(text(data, 'amount')),
                ...(text(data, 'category') ? { category: text(data, 'category') } : {}),
                ...(text(data, 'location') ? { location: text(data, 'location') } : {}),
              });
              setProposing(false);
              navigate(`/projects/${created.id}`);
            }}
          >
            <label for="p-heading">{bt('heading')}</label>
            <select id="p-heading" name="headingId" required>
              {b.headings.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
            <label for="p-title">{bt('title')}</label>
            <input id="p-title" name="title" required minLength={5} maxLength={200} />
            <label for="p-summary">{bt('summary')}</label>
            <input id="p-summary" name="summary" required maxLength={500} />
            <label for="p-body">{bt('body')}</label>
            <textarea id="p-body" name="body" required rows={5} />
            <label for="p-amount">{bt('amount')}</label>
            <input id="p-amount" name="amount" type="number" min={1} required inputMode="numeric" />
            <label for="p-category">{bt('category')}</label>
            <input id="p-category" name="category" maxLength={50} />
            <label for="p-location">{bt('location')}</label>
            <input id="p-location" name="location" maxLength={200} />
            <div class="modal-actions">
              <button type="button" onClick={() => setProposing(false)}>
                {bt('cancel')}
              </button>
              <button type="submit" class="primary">
                {bt('submit')}
              </button>
            </div>
          </Form>
        </Dialog>
      )}
      <section class="section" aria-labelledby="headings-h">
        <h2 id="headings-h">{bt('headings')}</h2>
        <ul class="grid plain-list">
          {b.headings.map((h) => (
            <li key={h.id} class="card">
              <p class="card-title">{h.name}</p>
              <p class="meta">
                <span>
                  {bt('cap')} {w(h.amount)}
                </span>
                {h.group && (
                  <span>
                    {bt('group')} {h.group}
                  </span>
                )}
                <span>
                  {bt('projects')} {h.projectCount}
                </span>
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section class="section" aria-labelledby="projects-h">
        <div class="section-head">
          <h2 id="projects-h">{bt('projects')}</h2>
        </div>
        <div class="toolbar">
          <label for="f-heading" class="sr-only">
            {bt('heading')}
          </label>
          <select
            id="f-heading"
            value={headingId}
            onChange={(e) => setHeadingId(e.currentTarget.value)}
          >
            <option value="">{bt('allHeadings')}</option>
            {b.headings.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
          <label for="f-status" class="sr-only">
            {bt('status')}
          </label>
          <select id="f-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">{bt('allStatuses')}</option>
            {(['submitted', 'feasible', 'unfeasible', 'selected', 'not_selected'] as const).map(
              (s) => (
                <option key={s} value={s}>
                  {bt(`ps_${s}`)}
                </option>
              ),
            )}
          </select>
          <label for="f-sort" class="sr-only">
            {bt('sort')}
          </label>
          <select id="f-sort" value={sort} onChange={(e) => setSort(e.currentTarget.value)}>
            <option value="random">{bt('sortRandom')}</option>
            <option value="amount">{bt('sortAmount')}</option>
            <option value="newest">{bt('sortNewest')}</option>
          </select>
        </div>
        <ErrorNote error={projects.error} />
        {!projects.data && !projects.error && <Skeleton lines={3} height="5rem" />}
        {projects.data?.items.length === 0 && (
          <EmptyState icon="🌱" title={bt('noProjects')}>
            <p>{bt('noProjectsHint')}</p>
          </EmptyState>
        )}
        <ul class="grid plain-list" aria-label={bt('projects')} data-testid="project-list">
          {projects.data?.items.map((p) => (
            <li key={p.id} class="card project-card">
              <p class="card-title">
                <Link href={`/projects/${p.id}`}>{p.title}</Link>
              </p>
              <p class="project-amount">{w(p.cost)}</p>
              <p class="muted">{p.summary}</p>
              {p.category && (
                <p class="chips">
                  <span class="chip">{p.category}</span>
                </p>
              )}
              <p class="meta">
                <ProjectStatus status={p.status} />
                <span>{p.headingName}</span>
                {p.location && <span>📍 {p.location}</span>}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function ProjectPage({ id }: { id: string }) {
  const bt = useBT();
  const w = useWon();
  const project = useLoad(() => api.get<Project>(`/projects/${id}`), [id]);
  usePageTitle(project.data?.title);
  if (project.error) return <ErrorNote error={project.error} />;
  if (!project.data) return <Skeleton lines={4} height="2rem" />;
  const p = project.data;
  return (
    <>
      <p class="crumbs">
        <Link href={`/budgets/${p.budgetId}`}>{bt('toBudget')}</Link>
      </p>
      <article class="section">
        <p class="meta">
          <ProjectStatus status={p.status} />
          <span>{p.headingName}</span>
          {p.category && <span>{p.category}</span>}
        </p>
        <h1>{p.title}</h1>
        <p class="project-amount">{w(p.cost)}</p>
        <p class="lead user-text">{p.summary}</p>
        <p class="user-text">{p.body}</p>
        <p class="meta">
          {p.location && <span>📍 {p.location}</span>}
          <span>
            {bt('proposer')} {p.proposer.displayName}
          </span>
        </p>
        <FollowButton topicId={p.topicId} hint="followProjectHint" />
      </article>
      <section class="section card" aria-labelledby="review-h">
        <h2 id="review-h">{bt('review')}</h2>
        {p.review ? (
          <>
            <p>
              <span class={`badge ${p.review.feasible ? 'ok' : 'status-rejected'}`}>
                {bt(p.review.feasible ? 'feasible' : 'unfeasible')}
              </span>{' '}
              {p.review.cost !== null && `${bt('reviewedCost')} ${w(p.review.cost)}`}
            </p>
            <p class="user-text">{p.review.explanation}</p>
          </>
        ) : (
          <p class="muted">{bt('noReview')}</p>
        )}
      </section>
      <section class="section" aria-labelledby="milestones-h">
        <h2 id="milestones-h">{bt('milestones')}</h2>
        {p.milestones.length === 0 ? (
          <p class="muted">{bt('noMilestones')}</p>
        ) : (
          <ol class="plain-list milestones">
            {p.milestones.map((m) => (
              <li key={m.id} class="card">
                <p class="card-title">{m.title}</p>
                <p class="meta">
                  <span>{m.date}</span>
                  <span>{m.progress}%</span>
                </p>
                <div
                  class="progress"
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={m.progress}
                  aria-label={m.title}
                >
                  <span style={{ width: `${m.progress}%` }} />
                </div>
                {m.body && <p class="user-text">{m.body}</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section class="section" aria-labelledby="thread-h">
        <h2 id="thread-h">{bt('thread')}</h2>
        <p class="meta">
          <span>{bt('supports', { n: p.agreeCount })}</span>
          <span>{bt('comments', { n: p.commentCount })}</span>
        </p>
        <Link class="btn" href={`/topics/${p.topicId}`}>
          💬 {bt('threadLink')}
        </Link>
      </section>
    </>
  );
}

/**
 * The ballot: a basket per heading that shows what is left of the cap as one chooses, refuses
 * what does not fit (or is one too many) before anything is sent, and confirms what was cast.
 * The server checks every rule again.
 */
export function BallotPage({ id }: { id: string }) {
  const bt = useBT();
  const w = useWon();
  const signedIn = !!useStore(session);
  const budget = useLoad(() => api.get<BudgetView>(`/budgets/${id}`), [id, signedIn]);
  const projects = useLoad(
    () =>
      api.get<Page<Project>>(
        `/budgets/${id}/projects${query({ status: 'feasible', sort: 'amount', limit: 100 })}`,
      ),
    [id],
  );
  const mine = useLoad(
    () => (signedIn ? api.get<Ballot>(`/budgets/${id}/ballot`) : Promise.resolve(undefined)),
    [id, signedIn],
  );
  const [picks, setPicks] = useState<Record<string, string[]>>({});
  const [groupChoice, setGroupChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [cast, setCast] = useState<Ballot | undefined>(undefined);
  useEffect(() => {
    if (mine.data?.channel) {
      setCast(mine.data);
      setPicks(Object.fromEntries(mine.data.ballots.map((x) => [x.headingId, x.projectIds])));
    }
  }, [mine.data]);
  usePageTitle(budget.data ? `${bt('ballot')} — ${budget.data.title}` : undefined);
  if (budget.error) return <ErrorNote error={budget.error} />;
  if (!budget.data || !projects.data) return <Skeleton lines={4} height="2rem" />;
  const b = budget.data;
  const list = projects.data.items;
  const back = (
    <p class="crumbs">
      <Link href={`/budgets/${b.id}`}>{bt('toBudget')}</Link>
    </p>
  );
  if (b.phase !== 'voting')
    return (
      <>
        {back}
        <p class="notice">{bt('notVoting')}</p>
      </>
    );
  if (!signedIn)
    return (
      <>
        {back}
        <h1>{b.title}</h1>
        <Link
          class="btn btn-primary"
          href={`/signin?next=${encodeURIComponent(`/budgets/${b.id}/ballot`)}`}
        >
          {bt('signInToVote')}
        </Link>
      </>
    );
  if (b.electorate === 'roll' && !b.viewer.onRoll)
    return (
      <>
        {back}
        <h1>{b.title}</h1>
        <section class="card section" aria-labelledby="claim-h">
          <h2 id="claim-h">{bt('claimTitle')}</h2>
          <p class="hint">{bt('claimHint')}</p>
          <Form
            label={bt('claimTitle')}
            onSubmit={async (data) => {
              await api.post(`/budgets/${b.id}/voters/claim`, {
                code: text(data, 'code').toUpperCase(),
              });
              budget.reload();
            }}
          >
            <label for="claim-code">{bt('code')}</label>
            <input
              id="claim-code"
              name="code"
              required
              autoComplete="one-time-code"
              placeholder="ABCD-EFGH-JKLM"
            />
            <button type="submit" class="primary">
              {bt('claim')}
            </button>
          </Form>
        </section>
      </>
    );

  // One heading per group: the voter picks which; ungrouped headings are each their own.
  const groups = new Map<string, Heading[]>();
  for (const h of b.headings) {
    const key = h.group ?? `heading:${h.id}`;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  const shown = [...groups.entries()].map(([key, hs]) => {
    const chosen =
      hs.find((h) => h.id === groupChoice[key]) ??
      hs.find((h) => (picks[h.id] ?? []).length > 0) ??
      hs[0]!;
    return { key, headings: hs, heading: chosen };
  });
  const onsite = cast?.channel === 'onsite';
  const costOf = (pid: string): number => list.find((p) => p.id === pid)?.cost ?? 0;
  const submit = async (): Promise<void> => {
    setError(undefined);
    const ballots = shown
      .map(({ heading }) => ({ headingId: heading.id, projectIds: picks[heading.id] ?? [] }))
      .filter((x) => x.projectIds.length > 0);
    try {
      const result = await api.put<Ballot>(`/budgets/${b.id}/ballot`, { ballots });
      setCast(result);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      {back}
      <h1>
        {bt('ballot')} — {b.title}
      </h1>
      <p>{ruleText(b, bt)}</p>
      {cast?.channel && (
        <div class="banner announce" role="status" data-testid="ballot-confirmed">
          <strong>✅ {bt('castDone')}</strong>{' '}
          {cast.castAt &&
            bt('castAt', {
              time: new Date(cast.castAt).toLocaleString(
                useStore(lang) === 'ko' ? 'ko-KR' : 'en-GB',
                { timeZone: 'Asia/Seoul' },
              ),
            })}
          {onsite && <p>{bt('votedOnsite')}</p>}
          <ul>
            {cast.ballots.flatMap((x) =>
              x.projectIds.map((pid) => (
                <li key={pid}>{list.find((p) => p.id === pid)?.title ?? pid}</li>
              )),
            )}
          </ul>
        </div>
      )}
      {shown.map(({ key, headings, heading }) => {
        const chosen = picks[heading.id] ?? [];
        const spent = chosen.reduce((s, pid) => s + costOf(pid), 0);
        const remaining = heading.amount - spent;
        const limit = heading.maxChoices ?? b.rule.maxChoices;
        const full = limit !== null && chosen.length >= limit;
        const inHeading = list.filter((p) => p.headingId === heading.id);
        return (
          <section key={key} class="section ballot-heading" aria-labelledby={`bh-${heading.id}`}>
            <h2 id={`bh-${heading.id}`}>{heading.name}</h2>
            {headings.length > 1 && (
              <>
                <label for={`g-${key}`}>{bt('chooseHeading')}</label>
                <select
                  id={`g-${key}`}
                  value={heading.id}
                  disabled={onsite}
                  onChange={(e) => {
                    const next = e.currentTarget.value;
                    setGroupChoice({ ...groupChoice, [key]: next });
                    // Only one heading of a group goes in the ballot: the others are emptied.
                    setPicks(
                      Object.fromEntries(
                        Object.entries(picks).filter(
                          ([hid]) => !headings.some((h) => h.id === hid && hid !== next),
                        ),
                      ),
                    );
                  }}
                >
                  {headings.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.name}
                    </option>
                  ))}
                </select>
              </>
            )}
            <div class="basket card" aria-live="polite" data-testid={`basket-${heading.name}`}>
              <p class="basket-left">
                <strong>{bt('left', { amount: w(Math.max(remaining, 0)) })}</strong>{' '}
                <span class="muted">
                  {bt('spentOf', { spent: w(spent), cap: w(heading.amount) })}
                </span>
              </p>
              <div
                class="progress"
                role="progressbar"
                aria-label={bt('basket')}
                aria-valuemin={0}
                aria-valuemax={heading.amount}
                aria-valuenow={spent}
              >
                <span style={{ width: `${Math.min(100, (spent / heading.amount) * 100)}%` }} />
              </div>
              {chosen.length === 0 ? (
                <p class="muted">{bt('nothingChosen')}</p>
              ) : (
                <ol class="basket-list">
                  {chosen.map((pid, i) => (
                    <li key={pid}>
                      {b.rule.kind === 'ranked' && (
                        <span class="badge">{bt('rank', { n: i + 1 })}</span>
                      )}{' '}
                      {list.find((p) => p.id === pid)?.title} · {w(costOf(pid))}
                    </li>
                  ))}
                </ol>
              )}
            </div>
            <ul class="grid plain-list">
              {inHeading.map((p) => {
                const picked = chosen.includes(p.id);
                const fits = b.rule.kind !== 'knapsack' || p.cost <= remaining;
                const why = !fits ? bt('doesNotFit') : full ? bt('tooMany', { n: limit ?? 0 }) : '';
                return (
                  <li key={p.id} class={`card project-card${picked ? ' picked' : ''}`}>
                    <p class="card-title">
                      <Link href={`/projects/${p.id}`}>{p.title}</Link>
                    </p>
                    <p class="project-amount">{w(p.cost)}</p>
                    {p.category && (
                      <p class="chips">
                        <span class="chip">{p.category}</span>
                      </p>
                    )}
                    {p.location && <p class="meta">📍 {p.location}</p>}
                    {picked ? (
                      <button
                        type="button"
                        disabled={onsite}
                        aria-pressed="true"
                        onClick={() =>
                          setPicks({ ...picks, [heading.id]: chosen.filter((x) => x !== p.id) })
                        }
                      >
                        {bt('remove')}
                      </button>
                    ) : (
                      <>
                        <button
                          type="button"
                          class="primary"
                          aria-pressed="false"
                          disabled={onsite || !!why}
                          aria-describedby={why ? `why-${p.id}` : undefined}
                          onClick={() => setPicks({ ...picks, [heading.id]: [...chosen, p.id] })}
                        >
                          {bt('add')}
                        </button>
                        {why && (
                          <p class="hint" id={`why-${p.id}`}>
                            {why}
                          </p>
                        )}
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      <ErrorNote error={error} />
      {!onsite && (
        <div class="row section ballot-actions">
          <button type="button" class="primary" onClick={() => void submit()} data-testid="cast">
            🗳️ {cast?.channel ? bt('change') : bt('cast')}
          </button>
          {cast?.channel && (
            <button
              type="button"
              class="ghost"
              onClick={() =>
                void api.delete<Ballot>(`/budgets/${b.id}/ballot`).then(
                  (result) => {
                    setCast(result);
                    setPicks({});
                  },
                  (e: unknown) => setError(e),
                )
              }
            >
              {bt('withdraw')}
            </button>
          )}
        </div>
      )}
    </>
  );
}

/** Per heading: the selected projects, those that did not fit and the unfeasible, and the money spent. */
export function ResultsPage({ id }: { id: string }) {
  const bt = useBT();
  const w = useWon();
  const budget = useLoad(() => api.get<BudgetView>(`/budgets/${id}`), [id]);
  const projects = useLoad(
    () => api.get<Page<Project>>(`/budgets/${id}/projects${query({ limit: 100, sort: 'amount' })}`),
    [id],
  );
  const results = useLoad(() => api.get<BudgetTally>(`/budgets/${id}/results`), [id]);
  const connection = useStore(live);
  // With a live tally the numbers move as votes come in (budget:watch).
  useEffect(() => {
    const offEvent = connection.onEvent((event, payload) => {
      if (event === 'budget:tally' && payload.budgetId === id)
        results.set(payload as unknown as BudgetTally);
    });
    const offConnect = connection.onConnect(() => {
      void connection
        .request('budget:watch', { budgetId: id })
        .then((ack) => ack.tally && results.set(ack.tally))
        .catch(() => undefined);
    });
    return () => {
      offEvent();
      offConnect();
    };
  }, [connection, id]);
  usePageTitle(budget.data ? `${bt('resultsTitle')} — ${budget.data.title}` : undefined);
  if (budget.error) return <ErrorNote error={budget.error} />;
  if (!budget.data) return <Skeleton lines={4} height="2rem" />;
  const b = budget.data;
  const titles = new Map((projects.data?.items ?? []).map((p) => [p.id, p]));
  const notPublic =
    results.error instanceof ApiError && results.error.code === 'results_not_public';
  return (
    <>
      <p class="crumbs">
        <Link href={`/budgets/${b.id}`}>{bt('toBudget')}</Link>
      </p>
      <h1>
        {bt('resultsTitle')} — {b.title}
      </h1>
      {notPublic && <p class="notice">{bt('notPublic')}</p>}
      {!notPublic && <ErrorNote error={results.error} />}
      {results.data && (
        <>
          <p>
            <span
              class={`badge ${results.data.final ? 'ok' : 'live-badge'}`}
              data-testid="tally-state"
            >
              {results.data.final ? bt('final') : bt('liveTally')}
            </span>{' '}
            <a
              class="btn btn-sm"
              href={`/api/v1/budgets/${b.id}/export?what=results&format=csv`}
              download
            >
              {bt('exportCsv')}
            </a>
          </p>
          {results.data.headings.map((h) => (
            <section key={h.headingId} class="section card" aria-labelledby={`rh-${h.headingId}`}>
              <h2 id={`rh-${h.headingId}`}>{h.name}</h2>
              <p>
                <strong>{bt('spent', { spent: w(h.spent), cap: w(h.amount) })}</strong>
              </p>
              <p class="muted">{bt('ballotsCount', h.ballots)}</p>
              <ResultsChart heading={h} projects={titles} />
            </section>
          ))}
        </>
      )}
    </>
  );
}

/** The budgets of a space, as cards on its page. */
export function SpaceBudgets({ spaceId }: { spaceId: string }) {
  const bt = useBT();
  const w = useWon();
  const budgets = useLoad(
    () => api.get<{ items: BudgetView[] }>(`/spaces/${spaceId}/budgets`),
    [spaceId],
  );
  const items = budgets.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section class="section" aria-labelledby="budgets-h">
      <h2 id="budgets-h">{bt('budgets')}</h2>
      <ul class="grid plain-list" data-testid="budget-list">
        {items.map((b) => (
          <li key={b.id} class="card">
            <p class="card-title">
              <Link href={`/budgets/${b.id}`}>{b.title}</Link>
            </p>
            <p class="meta">
              <span class="badge status-deliberating">{bt(`phase_${b.phase}` as BudgetKey)}</span>
              <span>{bt('total', { amount: w(b.totalAmount) })}</span>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The booth officer's kiosk: a roll reference and the resident's choices, recorded as an
 * on-site ballot. The server checks the rules and refuses a line that already voted.
 */
export function KioskPage({ id }: { id: string }) {
  const bt = useBT();
  const w = useWon();
  const budget = useLoad(() => api.get<BudgetView>(`/budgets/${id}`), [id]);
  const projects = useLoad(
    () =>
      api.get<Page<Project>>(
        `/budgets/${id}/projects${query({ status: 'feasible', sort: 'amount', limit: 100 })}`,
      ),
    [id],
  );
  const [done, setDone] = useState('');
  usePageTitle(budget.data ? `${bt('kiosk')} — ${budget.data.title}` : undefined);
  if (budget.error) return <ErrorNote error={budget.error} />;
  if (!budget.data || !projects.data) return <Skeleton lines={4} height="2rem" />;
  const b = budget.data;
  const list = projects.data.items;
  const back = (
    <p class="crumbs">
      <Link href={`/budgets/${b.id}`}>{bt('toBudget')}</Link>
    </p>
  );
  if (!b.viewer.canManage)
    return (
      <>
        {back}
        <p class="notice">{bt('officersOnly')}</p>
      </>
    );
  if (b.phase !== 'voting')
    return (
      <>
        {back}
        <p class="notice">{bt('notVoting')}</p>
      </>
    );
  return (
    <>
      {back}
      <h1>
        {bt('kiosk')} — {b.title}
      </h1>
      <p class="hint">{bt('kioskHint')}</p>
      {done && (
        <div class="banner announce" role="status" data-testid="kiosk-recorded">
          ✅ {done}
        </div>
      )}
      <Form
        label={bt('kiosk')}
        class="kiosk"
        onSubmit={async (data, form) => {
          const ref = text(data, 'ref');
          const ballots = b.headings
            .map((h) => ({ headingId: h.id, projectIds: data.getAll(`h-${h.id}`).map(String) }))
            .filter((x) => x.projectIds.length > 0);
          setDone('');
          await api.post(`/budgets/${b.id}/onsite-ballots`, { ref, ballots });
          form.reset();
          setDone(bt('recorded', { ref }));
        }}
      >
        <label for="kiosk-ref">{bt('ref')}</label>
        <input id="kiosk-ref" name="ref" required maxLength={100} autoComplete="off" />
        {b.headings.map((h) => (
          <fieldset key={h.id} class="card kiosk-heading">
            <legend>
              {h.name} · {bt('cap')} {w(h.amount)}
            </legend>
            {list
              .filter((p) => p.headingId === h.id)
              .map((p) => (
                <label key={p.id} class="kiosk-choice">
                  <input type="checkbox" name={`h-${h.id}`} value={p.id} /> {p.title} · {w(p.cost)}
                </label>
              ))}
          </fieldset>
        ))}
        <button type="submit" class="primary">
          🗳️ {bt('record')}
        </button>
      </Form>
    </>
  );
}
