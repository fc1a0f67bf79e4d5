import { type ComponentChildren, createContext, type JSX, type TargetedSubmitEvent } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, query } from '../../shared/api';
import { type BudgetKey, useBT, won } from '../../shared/budget-i18n';
import { type OfficeKey, useOT } from '../../shared/budget-office-i18n';
import {
  DateTimeField,
  type DateTimeFieldProps,
  seoulInstant,
  seoulLocal,
} from '../../shared/date-time-field';
import { lang, useT } from '../../shared/i18n';
import { useStore } from '../../shared/store';
import { type Page } from '../../shared/types';
import {
  confirmAction,
  EmptyState,
  ErrorNote,
  errorText,
  Skeleton,
  Tabs,
  text,
  Time,
  toast,
  usePageTitle,
} from '../../shared/ui';
import { Link } from '../app';
import { api, session, useLoad } from '../context';
import { navigate } from '../router';
import type { BudgetView, PaperEntryView, ProjectView } from '../../../budgets/budget-queries';
import type { RoomView } from '../../../protocol/views';
import {
  allowedNextPhases,
  BUDGET_PHASES,
  type BudgetPhase,
  RULE_KINDS,
  type RuleKind,
} from '../../../budgets/budget-rules';

/*
 * The facilitators' back office of a participatory budget: the space's list of budgets and the
 * form for a new one (a tab of /spaces/:slug/manage), and /budgets/:id/manage with a tab per
 * task of the committee's staff. Every action is one of the API's routes; the server decides
 * who may do it and which phase allows it, the page only leaves out what cannot apply now.
 */

type OT = ReturnType<typeof useOT>;
type BT = ReturnType<typeof useBT>;

function useWon(): (n: number) => string {
  const current = useStore(lang);
  return (n) => won(n, current);
}

const phaseName = (bt: BT, p: string): string => bt(`phase_${p}` as BudgetKey);

// ---- a form that shows each problem next to the field it names --------------------------------

interface FieldState {
  errors: Record<string, string>;
  prefix: string;
  /** The names the form shows a problem for (filled while it renders). */
  shown: Set<string>;
}
const FieldErrors = createContext<FieldState>({ errors: {}, prefix: 'f', shown: new Set() });

const idOf = (prefix: string, name: string): string =>
  `${prefix}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/**
 * A form whose submit runs `onSubmit`; a problem+json answer puts each field's message under
 * that field (`mapField` turns the server's path into the field's name when they differ) and
 * the sentence of the whole answer at the end. Disabled while it runs.
 */
function OfficeForm({
  label,
  prefix,
  onSubmit,
  mapField,
  children,
  class: className,
}: {
  label: string;
  prefix: string;
  onSubmit: (data: FormData, form: HTMLFormElement) => Promise<void>;
  mapField?: (field: string) => string;
  children: ComponentChildren;
  class?: string;
}) {
  const t = useT();
  const ot = useOT();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState<{ text: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const shown = useRef(new Set<string>()).current;
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    // Read the fields before disabling them: disabled fields are left out of FormData.
    const data = new FormData(form);
    setBusy(true);
    setErrors({});
    setNote(null);
    try {
      await onSubmit(data, form);
    } catch (error) {
      const next: Record<string, string> = {};
      if (error instanceof ApiError)
        for (const f of error.fields) {
          const name = mapField?.(f.field) ?? f.field;
          next[name] = next[name] ? `${next[name]} ${f.message}` : f.message;
        }
      setErrors(next);
      // When every problem sits at its field, the note only points there (the server's
      // sentence would repeat them with the fields' API names); otherwise it is the sentence.
      const names = Object.keys(next);
      const allShown = names.length > 0 && names.every((n) => shown.has(n));
      setNote({
        text: allShown ? ot('fixFields') : errorText(error, t),
        code: error instanceof ApiError ? error.code : 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={ref} onSubmit={(e) => void submit(e)} aria-label={label} class={className}>
      <FieldErrors.Provider value={{ errors, prefix, shown }}>
        <fieldset disabled={busy}>{children}</fieldset>
      </FieldErrors.Provider>
      <p class="form-error error" role="alert" data-code={note?.code}>
        {note?.text ?? ''}
      </p>
    </form>
  );
}

interface FieldProps {
  id: string;
  name: string;
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
}

/** A labelled field; `children` renders the control with the id, name and ARIA it is given. */
function Field({
  name,
  label,
  hint,
  children,
  class: className,
}: {
  name: string;
  label: string;
  hint?: string;
  children: (props: FieldProps) => JSX.Element;
  class?: string;
}) {
  const { errors, prefix, shown } = useContext(FieldErrors);
  shown.add(name);
  const id = idOf(prefix, name);
  const error = errors[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {children({
        id,
        name,
        ...(error ? { 'aria-invalid': 'true' as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <p class="error field-error" id={`${id}-error`} data-field={name}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The problem of a field that is a group (the classes, the dates), where the group is. */
function GroupError({ name }: { name: string }) {
  const { errors, prefix, shown } = useContext(FieldErrors);
  shown.add(name);
  const error = errors[name];
  if (!error) return null;
  return (
    <p class="error field-error" id={`${idOf(prefix, name)}-error`} data-field={name}>
      {error}
    </p>
  );
}

const optionalInt = (data: FormData, name: string): number | undefined => {
  const v = text(data, name);
  return v === '' ? undefined : Number(v);
};

// ---- phase dates, in the new-budget form and the phase tab --------------------------------------

/** The phases' dates as the API takes them, and which phase each sent entry is. */
function readPhaseDates(data: FormData): {
  phases: { phase: BudgetPhase; startsAt?: string; endsAt?: string }[];
  sent: BudgetPhase[];
} {
  const phases: { phase: BudgetPhase; startsAt?: string; endsAt?: string }[] = [];
  for (const phase of BUDGET_PHASES) {
    const startsAt = text(data, `dates.${phase}.startsAt`);
    const endsAt = text(data, `dates.${phase}.endsAt`);
    if (!startsAt && !endsAt) continue;
    phases.push({
      phase,
      ...(startsAt ? { startsAt: seoulInstant(startsAt) } : {}),
      ...(endsAt ? { endsAt: seoulInstant(endsAt) } : {}),
    });
  }
  return { phases, sent: phases.map((p) => p.phase) };
}

/** `phases.2.endsAt` back to the field of the phase that entry was. */
const phaseField =
  (sent: () => BudgetPhase[]) =>
  (field: string): string => {
    const m = field.match(/^phases\.(\d+)\.(startsAt|endsAt)$/);
    const phase = m ? sent()[Number(m[1])] : undefined;
    if (m && phase) return `dates.${phase}.${m[2]}`;
    return field.startsWith('phases') ? 'phases' : field;
  };

/** A date field of an office form, with the problem the server names for it. */
function OfficeDateField(
  props: { name: string; label: string } & Omit<DateTimeFieldProps, 'id' | 'error'>,
) {
  const { errors, prefix, shown } = useContext(FieldErrors);
  shown.add(props.name);
  return <DateTimeField {...props} id={idOf(prefix, props.name)} error={errors[props.name]} />;
}

function PhaseDateFields({ budget }: { budget?: BudgetView }) {
  const ot = useOT();
  const bt = useBT();
  const t = useT();
  const { prefix } = useContext(FieldErrors);
  return (
    <fieldset class="card phase-dates">
      <legend>{ot('phaseDates')}</legend>
      <p class="hint" id={`${prefix}-phase-dates-hint`}>
        {ot('phaseDatesHint')} {t('bo_dateHint')}
      </p>
      <GroupError name="phases" />
      <div class="form-grid">
        {BUDGET_PHASES.map((p) => {
          const dates = budget?.phases.find((x) => x.phase === p);
          return (
            <div key={p} class="stack">
              <OfficeDateField
                name={`dates.${p}.startsAt`}
                label={ot('startsAt', { phase: phaseName(bt, p) })}
                defaultValue={seoulLocal(dates?.startsAt)}
                hintId={`${prefix}-phase-dates-hint`}
              />
              <OfficeDateField
                name={`dates.${p}.endsAt`}
                label={ot('endsAt', { phase: phaseName(bt, p) })}
                defaultValue={seoulLocal(dates?.endsAt)}
                hintId={`${prefix}-phase-dates-hint`}
              />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

// ---- the space's tab: its budgets and a new one -------------------------------------------------

interface ClassDraft {
  key: string;
  name: string;
  weight: number;
}

/** Seoul's city track: general citizens 50, committee 30, budget school 10, proposers 10. */
const SEOUL_CLASSES: { key: string; label: OfficeKey; weight: number }[] = [
  { key: 'citizen', label: 'class_citizen', weight: 50 },
  { key: 'committee', label: 'class_committee', weight: 30 },
  { key: 'school', label: 'class_school', weight: 10 },
  { key: 'proposer', label: 'class_proposer', weight: 10 },
];

/**
 * The dates shown for a budget in a list: its current phase's when it has them, else the
 * process's span (the earliest and the latest date it has).
 */
function budgetDates(b: BudgetView): { startsAt?: string; endsAt?: string } {
  const own = b.phases.find((p) => p.phase === b.phase);
  if (own && (own.startsAt || own.endsAt)) return own;
  const all = b.phases.flatMap((p) => [p.startsAt, p.endsAt]).filter((x): x is string => !!x);
  if (all.length === 0) return {};
  const sorted = [...all].sort((x, y) => Date.parse(x) - Date.parse(y));
  return { startsAt: sorted[0]!, endsAt: sorted[sorted.length - 1]! };
}

/** The tab "참여예산" of a space's management page. */
export function SpaceBudgetsPanel({ spaceId }: { spaceId: string }) {
  const ot = useOT();
  const bt = useBT();
  const w = useWon();
  const list = useLoad(
    () => api.get<{ items: BudgetView[] }>(`/spaces/${spaceId}/budgets`),
    [spaceId],
  );
  return (
    <>
      <section aria-labelledby="budget-list-h">
        <h2 id="budget-list-h">{ot('budgetList')}</h2>
        <ErrorNote error={list.error} />
        {!list.data && !list.error && <Skeleton lines={3} />}
        {list.data?.items.length === 0 && (
          <EmptyState icon="🗳️" title={ot('noBudgets')}>
            <p>{ot('noBudgetsHint')}</p>
          </EmptyState>
        )}
        {!!list.data?.items.length && (
          <StackTable
            testId="space-budgets"
            rows={list.data.items}
            columns={[
              {
                label: ot('colTitle'),
                cell: (b) => <Link href={`/budgets/${b.id}`}>{b.title}</Link>,
              },
              {
                label: ot('colPhase'),
                cell: (b) => (
                  <span class="badge status-deliberating">{phaseName(bt, b.phase)}</span>
                ),
              },
              { label: ot('colDates'), cell: (b) => <BudgetDates budget={b} /> },
              { label: ot('colTotal'), cell: (b) => w(b.totalAmount) },
              {
                label: ot('manage'),
                hidden: true,
                cell: (b) => (
                  <Link class="btn btn-sm" href={`/budgets/${b.id}/manage`}>
                    {ot('manageLink')}
                    <span class="sr-only">: {b.title}</span>
                  </Link>
                ),
              },
            ]}
          />
        )}
      </section>
      <section class="section" aria-labelledby="new-budget-h">
        <h2 id="new-budget-h">{ot('newBudget')}</h2>
        <p class="hint">{ot('newBudgetHint')}</p>
        <BudgetSettingsForm spaceId={spaceId} />
      </section>
    </>
  );
}

/**
 * A budget's settings: the new-budget form of the space's tab (with the phases' dates), and the
 * office's settings tab for one that exists. Once voting has begun the rule, the electorate and
 * the classes are shown but not editable: the server refuses them then (`budget_locked`), as
 * ballots already cast were made under them.
 */
function BudgetSettingsForm({
  spaceId,
  budget,
  onSaved,
}: {
  spaceId: string;
  budget?: BudgetView;
  onSaved?: (b: BudgetView) => void;
}) {
  const ot = useOT();
  const [kind, setKind] = useState<RuleKind>(budget?.rule.kind ?? 'knapsack');
  const [classes, setClasses] = useState<ClassDraft[]>(budget?.voterClasses ?? []);
  // Which phase each entry of the last request was: the server names them by their index.
  const sent = useRef<BudgetPhase[]>([]);
  const sum = classes.reduce((s, c) => s + (Number.isFinite(c.weight) ? c.weight : 0), 0);
  const setClass = (i: number, patch: Partial<ClassDraft>) =>
    setClasses(classes.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const locked = !!budget && BUDGET_PHASES.indexOf(budget.phase) >= BUDGET_PHASES.indexOf('voting');
  // The API keeps at least one class once there are some (`voterClasses` has a minimum of 1).
  const keepsClasses = !!budget?.voterClasses.length;
  const ratio = budget?.rule.minSpendRatio;
  return (
    <OfficeForm
      label={budget ? ot('settings') : ot('newBudget')}
      prefix={budget ? 'bs' : 'nb'}
      class="settings-form"
      mapField={phaseField(() => sent.current)}
      onSubmit={async (data) => {
        const ratio = optionalInt(data, 'rule.minSpendRatio');
        const maxChoices = optionalInt(data, 'rule.maxChoices');
        const description = text(data, 'description');
        const settings = {
          title: text(data, 'title'),
          totalAmount: Number(text(data, 'totalAmount')),
          liveTally: data.get('liveTally') === 'on',
          ...(locked
            ? {}
            : {
                rule: {
                  kind,
                  ...(kind === 'knapsack' && ratio !== undefined
                    ? { minSpendRatio: ratio / 100 }
                    : {}),
                  ...(kind !== 'knapsack' && maxChoices !== undefined ? { maxChoices } : {}),
                },
                electorate: text(data, 'electorate'),
                ...(classes.length ? { voterClasses: classes } : {}),
              }),
        };
        if (budget) {
          // An emptied description is sent as such: it clears the text.
          const next = await api.patch<BudgetView>(`/budgets/${budget.id}`, {
            ...settings,
            description,
          });
          toast(ot('settingsSaved'));
          onSaved?.(next);
          return;
        }
        const dates = readPhaseDates(data);
        sent.current = dates.sent;
        const created = await api.post<BudgetView>(`/spaces/${spaceId}/budgets`, {
          ...settings,
          ...(description ? { description } : {}),
          ...(dates.phases.length ? { phases: dates.phases } : {}),
        });
        toast(ot('created'));
        navigate(`/budgets/${created.id}/manage`);
      }}
    >
      <Field name="title" label={ot('title')}>
        {(p) => (
          <input {...p} required minLength={2} maxLength={200} defaultValue={budget?.title} />
        )}
      </Field>
      <Field name="description" label={ot('description')}>
        {(p) => <textarea {...p} rows={3} maxLength={20000} defaultValue={budget?.description} />}
      </Field>
      <div class="form-grid">
        <Field name="totalAmount" label={ot('totalAmount')}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              required
              inputMode="numeric"
              defaultValue={budget ? String(budget.totalAmount) : undefined}
            />
          )}
        </Field>
      </div>
      {locked && (
        <p class="notice" data-testid="settings-locked">
          {ot('settingsLocked')}
        </p>
      )}
      <fieldset disabled={locked}>
        <div class="form-grid">
          <Field name="rule.kind" label={ot('rule')}>
            {(p) => (
              <select
                {...p}
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as RuleKind)}
              >
                {RULE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {ot(`rule_${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {kind === 'knapsack' ? (
            <Field name="rule.minSpendRatio" label={ot('minSpendRatio')} hint={ot('minSpendHint')}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={100}
                  step={1}
                  inputMode="numeric"
                  defaultValue={ratio == null ? undefined : String(Math.round(ratio * 100))}
                />
              )}
            </Field>
          ) : (
            <Field name="rule.maxChoices" label={ot('maxChoices')} hint={ot('maxChoicesHint')}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  max={100}
                  inputMode="numeric"
                  defaultValue={budget?.rule.maxChoices?.toString()}
                />
              )}
            </Field>
          )}
        </div>
        <fieldset class="radio-list">
          <legend class="label">{ot('electorate')}</legend>
          {(['open', 'roll'] as const).map((e) => (
            <label key={e}>
              <input
                type="radio"
                name="electorate"
                value={e}
                defaultChecked={e === (budget?.electorate ?? 'roll')}
              />
              {ot(`electorate_${e}`)}
            </label>
          ))}
        </fieldset>
        <fieldset class="card voter-classes">
          <legend>{ot('voterClasses')}</legend>
          <p class="hint">{ot('voterClassesHint')}</p>
          <div class="toolbar" role="group" aria-label={ot('voterClasses')}>
            <button
              type="button"
              class="sm"
              data-testid="seoul-classes"
              onClick={() =>
                setClasses(
                  SEOUL_CLASSES.map((c) => ({ key: c.key, name: ot(c.label), weight: c.weight })),
                )
              }
            >
              {ot('seoulPreset')}
            </button>
            {!keepsClasses && (
              <button type="button" class="sm" onClick={() => setClasses([])}>
                {ot('noClasses')}
              </button>
            )}
            <button
              type="button"
              class="sm"
              onClick={() => setClasses([...classes, { key: '', name: '', weight: 0 }])}
            >
              {ot('addClass')}
            </button>
          </div>
          <GroupError name="voterClasses" />
          {classes.map((c, i) => (
            <div key={i} class="form-grid class-row" data-testid="class-row">
              <Field name={`voterClasses.${i}.key`} label={ot('classKey')}>
                {(p) => (
                  <input
                    {...p}
                    required
                    maxLength={32}
                    pattern="[a-z0-9_\-]{1,32}"
                    value={c.key}
                    onInput={(e) => setClass(i, { key: e.currentTarget.value })}
                  />
                )}
              </Field>
              <Field name={`voterClasses.${i}.name`} label={ot('className')}>
                {(p) => (
                  <input
                    {...p}
                    required
                    maxLength={50}
                    value={c.name}
                    onInput={(e) => setClass(i, { name: e.currentTarget.value })}
                  />
                )}
              </Field>
              <Field name={`voterClasses.${i}.weight`} label={ot('classWeight')}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    required
                    min={1}
                    max={100}
                    value={c.weight}
                    onInput={(e) => setClass(i, { weight: Number(e.currentTarget.value) })}
                  />
                )}
              </Field>
              <button
                type="button"
                class="sm class-remove"
                disabled={keepsClasses && classes.length === 1}
                title={keepsClasses && classes.length === 1 ? ot('classesKept') : undefined}
                onClick={() => setClasses(classes.filter((_, j) => j !== i))}
              >
                {ot('removeClass', { name: c.name || c.key || String(i + 1) })}
              </button>
            </div>
          ))}
          {classes.length > 0 && (
            <p class={sum === 100 ? 'muted' : 'error'} data-testid="weight-sum">
              {ot('weightSum', { n: sum })}
            </p>
          )}
        </fieldset>
      </fieldset>
      <label class="check">
        <input type="checkbox" name="liveTally" defaultChecked={budget?.liveTally} />{' '}
        {ot('liveTallyLabel')}
      </label>
      {!budget && <PhaseDateFields />}
      <button type="submit" class="primary">
        {budget ? ot('saveSettings') : ot('create')}
      </button>
    </OfficeForm>
  );
}

// ---- /budgets/:id/manage -------------------------------------------------------------------------

type OfficeTab =
  'phase' | 'headings' | 'review' | 'roll' | 'kiosk' | 'paper' | 'execution' | 'settings';

export function BudgetOfficePage({ id }: { id: string }) {
  const ot = useOT();
  const bt = useBT();
  const w = useWon();
  const signedIn = !!useStore(session);
  const budget = useLoad(() => api.get<BudgetView>(`/budgets/${id}`), [id, signedIn]);
  const [tab, setTab] = useState<OfficeTab>('phase');
  usePageTitle(budget.data ? `${ot('office')}: ${budget.data.title}` : ot('office'));
  if (budget.error) return <ErrorNote error={budget.error} />;
  if (!budget.data) return <Skeleton lines={4} height="2rem" />;
  const b = budget.data;
  const tabs: { key: OfficeTab; label: string }[] = [
    { key: 'phase', label: ot('tabPhase') },
    { key: 'headings', label: ot('tabHeadings') },
    { key: 'review', label: ot('tabReview') },
    { key: 'roll', label: ot('tabRoll') },
    { key: 'kiosk', label: ot('tabKiosk') },
    { key: 'paper', label: ot('tabPaper') },
    { key: 'execution', label: ot('tabExecution') },
    { key: 'settings', label: ot('tabSettings') },
  ];
  const onChange = (next: BudgetView) => budget.set(next);
  return (
    <>
      <p class="crumbs">
        <Link href={`/budgets/${b.id}`}>{ot('toBudget')}</Link>
      </p>
      <h1>
        {ot('office')}: {b.title}
      </h1>
      <p class="meta">
        <span class="badge status-deliberating" data-testid="office-phase">
          {phaseName(bt, b.phase)}
        </span>
        <span>{bt('total', { amount: w(b.totalAmount) })}</span>
        <span>
          {bt('projects')} {b.projectCounts.total}
        </span>
      </p>
      {!signedIn ? (
        <EmptyState icon="🔒" title={ot('onlyFacilitators')}>
          <Link
            class="btn btn-primary"
            href={`/signin?next=${encodeURIComponent(window.location.pathname)}`}
          >
            {ot('signIn')}
          </Link>
        </EmptyState>
      ) : !b.viewer.canManage ? (
        <EmptyState icon="🔒" title={ot('onlyFacilitators')} />
      ) : (
        <>
          <Tabs tabs={tabs} selected={tab} onSelect={setTab} label={ot('office')} />
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="section">
            {tab === 'phase' && <PhasePanel budget={b} onChange={onChange} />}
            {tab === 'headings' && <HeadingsPanel budget={b} onChange={onChange} />}
            {tab === 'review' && <ReviewPanel budget={b} onReviewed={budget.reload} />}
            {tab === 'roll' && <RollPanel budget={b} />}
            {tab === 'kiosk' && <KioskPanel budget={b} />}
            {tab === 'paper' && <PaperPanel budget={b} />}
            {tab === 'execution' && <ExecutionPanel budget={b} />}
            {tab === 'settings' && <SettingsPanel budget={b} onChange={onChange} />}
          </div>
        </>
      )}
    </>
  );
}

type PanelProps = { budget: BudgetView; onChange: (b: BudgetView) => void };

/**
 * The assembly's room (`PATCH /budgets/:id {roomId}`): one of the space's scheduled or live town
 * halls, or none. The room then shows the countdown and the public tally; the projector view
 * is linked from here for the officer who sets up the hall.
 */
function AssemblyRoomForm({ budget: b, onChange }: PanelProps) {
  const ot = useOT();
  const rooms = useLoad(
    () => api.get<Page<RoomView>>(`/rooms${query({ spaceId: b.spaceId, limit: 100 })}`),
    [b.spaceId],
  );
  const open = (rooms.data?.items ?? []).filter((r) => r.status !== 'ended' || r.id === b.roomId);
  return (
    <section class="section" aria-labelledby="assembly-h">
      <h2 id="assembly-h">{ot('assembly')}</h2>
      <p class="hint">{ot('assemblyHint')}</p>
      <ErrorNote error={rooms.error} />
      {rooms.data && open.length === 0 && <p class="notice">{ot('assemblyNoRooms')}</p>}
      {open.length > 0 && (
        <OfficeForm
          label={ot('assembly')}
          prefix="as"
          onSubmit={async (data) => {
            const roomId = text(data, 'roomId');
            onChange(await api.patch<BudgetView>(`/budgets/${b.id}`, { roomId: roomId || null }));
            toast(ot('assemblySaved'));
          }}
        >
          <Field name="roomId" label={ot('assemblyRoom')}>
            {(props) => (
              <select {...props} defaultValue={b.roomId ?? ''}>
                <option value="">{ot('assemblyNone')}</option>
                {open.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" class="primary">
            {ot('assemblySave')}
          </button>
        </OfficeForm>
      )}
      {b.roomId && (
        <p class="row">
          <Link class="btn btn-sm" href={`/rooms/${b.roomId}`}>
            {ot('assemblyOpenRoom')}
          </Link>
          <Link class="btn btn-sm" href={`/budgets/${b.id}/screen`}>
            {ot('assemblyScreen')}
          </Link>
        </p>
      )}
    </section>
  );
}

function SettingsPanel({ budget: b, onChange }: PanelProps) {
  const ot = useOT();
  return (
    <>
      <h2>{ot('settings')}</h2>
      <p class="hint">{ot('settingsHint')}</p>
      <BudgetSettingsForm spaceId={b.spaceId} budget={b} onSaved={onChange} />
    </>
  );
}

function moveText(ot: OT, bt: BT, from: BudgetPhase, to: BudgetPhase): string {
  if (to === 'results') return ot('moveConfirmResults');
  if (from === 'review' && to === 'voting') return ot('moveConfirmSkip');
  return ot('moveConfirm', { from: phaseName(bt, from), to: phaseName(bt, to) });
}

function PhasePanel({ budget: b, onChange }: PanelProps) {
  const ot = useOT();
  const bt = useBT();
  const [error, setError] = useState<unknown>(null);
  const current = BUDGET_PHASES.indexOf(b.phase);
  const next = allowedNextPhases(b.phase);
  const sent = useRef<BudgetPhase[]>([]);
  const move = async (to: BudgetPhase) => {
    const action = ot('moveTo', { phase: phaseName(bt, to) });
    if (!(await confirmAction(moveText(ot, bt, b.phase, to), action))) return;
    setError(null);
    try {
      onChange(await api.post<BudgetView>(`/budgets/${b.id}/phase`, { to }));
      toast(ot('moved', { phase: phaseName(bt, to) }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h2>{ot('currentPhase')}</h2>
      <ol class="budget-phases" aria-label={bt('phases')}>
        {BUDGET_PHASES.map((p, i) => {
          const dates = b.phases.find((x) => x.phase === p);
          return (
            <li
              key={p}
              class={i < current ? 'done' : i === current ? 'current' : ''}
              aria-current={i === current ? 'step' : undefined}
            >
              <strong>{phaseName(bt, p)}</strong>
              {dates?.startsAt && (
                <span class="small">
                  {ot('from')} <Time iso={dates.startsAt} style="full" />
                </span>
              )}
              {dates?.endsAt && (
                <span class="small">
                  {ot('until')} <Time iso={dates.endsAt} style="full" />
                </span>
              )}
            </li>
          );
        })}
      </ol>
      <section class="section" aria-labelledby="next-h">
        <h2 id="next-h">{ot('nextMoves')}</h2>
        {next.length === 0 && <p class="muted">{ot('lastPhase')}</p>}
        <div class="row">
          {next.map((to, i) => (
            <button
              key={to}
              type="button"
              class={i === 0 ? 'primary' : ''}
              data-testid={`move-${to}`}
              onClick={() => void move(to)}
            >
              {ot('moveTo', { phase: phaseName(bt, to) })}
            </button>
          ))}
        </div>
        <ErrorNote error={error} />
      </section>
      <section class="section">
        <OfficeForm
          label={ot('phaseDates')}
          prefix="pd"
          mapField={phaseField(() => sent.current)}
          onSubmit={async (data) => {
            const dates = readPhaseDates(data);
            sent.current = dates.sent;
            onChange(await api.patch<BudgetView>(`/budgets/${b.id}`, { phases: dates.phases }));
            toast(ot('saved'));
          }}
        >
          <PhaseDateFields budget={b} />
          <button type="submit" class="primary">
            {ot('saveDates')}
          </button>
        </OfficeForm>
      </section>
      <AssemblyRoomForm budget={b} onChange={onChange} />
      <section class="section" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{ot('timeline')}</h2>
        <ol class="timeline" data-testid="office-timeline">
          {[...b.timeline].reverse().map((e) => (
            <li key={e.seq}>
              <strong>
                {e.type === 'phase'
                  ? ot('ev_phase', {
                      from: phaseName(bt, String(e.data.from)),
                      to: phaseName(bt, String(e.data.to)),
                    })
                  : ot('ev_created')}
              </strong>{' '}
              <span class="meta">
                <span>{e.actorName ?? ot('byDate')}</span>
                <Time iso={e.createdAt} style="full" />
              </span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function HeadingsPanel({ budget: b, onChange }: PanelProps) {
  const ot = useOT();
  const w = useWon();
  const open = BUDGET_PHASES.indexOf(b.phase) < BUDGET_PHASES.indexOf('voting');
  return (
    <>
      <h2>{ot('headingList')}</h2>
      {b.headings.length === 0 ? (
        <p class="notice">{ot('noHeadings')}</p>
      ) : (
        <StackTable
          testId="office-headings"
          rows={b.headings}
          columns={[
            { label: ot('headingName'), cell: (h) => h.name },
            { label: ot('headingAmount'), cell: (h) => w(h.amount) },
            { label: ot('headingGroup'), cell: (h) => h.group ?? ot('none') },
            { label: ot('headingMax'), cell: (h) => h.maxChoices ?? ot('none') },
            { label: ot('projectCount'), cell: (h) => h.projectCount },
          ]}
        />
      )}
      <section class="section" aria-labelledby="add-heading-h">
        <h2 id="add-heading-h">{ot('addHeading')}</h2>
        {!open ? (
          <p class="notice">{ot('headingsLocked')}</p>
        ) : (
          <OfficeForm
            label={ot('addHeading')}
            prefix="hd"
            onSubmit={async (data, form) => {
              const group = text(data, 'group');
              const maxChoices = optionalInt(data, 'maxChoices');
              const name = text(data, 'name');
              onChange(
                await api.post<BudgetView>(`/budgets/${b.id}/headings`, {
                  name,
                  amount: Number(text(data, 'amount')),
                  ...(group ? { group } : {}),
                  ...(maxChoices !== undefined ? { maxChoices } : {}),
                }),
              );
              form.reset();
              toast(ot('headingAdded', { name }));
            }}
          >
            <div class="form-grid">
              <Field name="name" label={ot('headingName')}>
                {(p) => <input {...p} required maxLength={100} />}
              </Field>
              <Field name="amount" label={ot('headingAmount')}>
                {(p) => <input {...p} type="number" min={1} required inputMode="numeric" />}
              </Field>
              <Field name="group" label={ot('headingGroup')} hint={ot('headingGroupHint')}>
                {(p) => <input {...p} maxLength={100} />}
              </Field>
              <Field name="maxChoices" label={ot('headingMax')} hint={ot('maxChoicesHint')}>
                {(p) => <input {...p} type="number" min={1} max={100} inputMode="numeric" />}
              </Field>
            </div>
            <button type="submit" class="primary">
              {ot('addHeading')}
            </button>
          </OfficeForm>
        )}
      </section>
    </>
  );
}

function ReviewPanel({ budget: b, onReviewed }: { budget: BudgetView; onReviewed: () => void }) {
  const ot = useOT();
  const bt = useBT();
  const queue = useLoad(
    () =>
      api.get<Page<ProjectView>>(
        `/budgets/${b.id}/projects${query({ status: 'submitted', sort: 'oldest', limit: 100 })}`,
      ),
    [b.id],
  );
  const inReview = b.phase === 'review';
  const items = queue.data?.items ?? [];
  return (
    <>
      <h2>{ot('reviewQueue')}</h2>
      <p class="meta">
        <span>
          {bt('ps_submitted')} {b.projectCounts.submitted}
        </span>
        <span>
          {bt('ps_feasible')} {b.projectCounts.feasible}
        </span>
        <span>
          {bt('ps_unfeasible')} {b.projectCounts.unfeasible}
        </span>
      </p>
      {inReview ? (
        <p class="hint">{ot('reviewQueueHint')}</p>
      ) : (
        <p class="notice">{ot('reviewNotNow', { phase: phaseName(bt, b.phase) })}</p>
      )}
      <ErrorNote error={queue.error} />
      {!queue.data && !queue.error && <Skeleton lines={3} height="4rem" />}
      {queue.data && items.length === 0 && <EmptyState icon="✅" title={ot('reviewEmpty')} />}
      <ul class="stack plain-list" data-testid="review-queue">
        {items.map((p) => (
          <ReviewCard
            key={p.id}
            project={p}
            open={inReview}
            onDone={() => {
              queue.set((q) => q && { ...q, items: q.items.filter((x) => x.id !== p.id) });
              onReviewed();
            }}
          />
        ))}
      </ul>
    </>
  );
}

function ReviewCard({
  project: p,
  open,
  onDone,
}: {
  project: ProjectView;
  open: boolean;
  onDone: () => void;
}) {
  const ot = useOT();
  const w = useWon();
  const [verdict, setVerdict] = useState<'true' | 'false' | ''>('');
  const headingId = `review-${p.id}-h`;
  return (
    <li class="card" aria-labelledby={headingId} data-testid="review-card">
      <h3 id={headingId} class="card-title">
        <Link href={`/projects/${p.id}`}>{p.title}</Link>
      </h3>
      <p class="meta">
        <span>{p.headingName}</span>
        <span>{ot('asked', { amount: w(p.amount) })}</span>
        <span>{ot('proposedBy', { name: p.proposer.displayName })}</span>
        <Time iso={p.createdAt} />
      </p>
      <p class="user-text">{p.summary}</p>
      {open && (
        <OfficeForm
          label={`${ot('verdict')}: ${p.title}`}
          prefix={`rv-${p.id.slice(0, 8)}`}
          onSubmit={async (data) => {
            const cost = optionalInt(data, 'cost');
            await api.post(`/projects/${p.id}/review`, {
              feasible: verdict === 'true',
              ...(cost !== undefined ? { cost } : {}),
              explanation: text(data, 'explanation'),
            });
            toast(ot('reviewed', { title: p.title }));
            onDone();
          }}
        >
          <fieldset class="radio-list">
            <legend class="label">{ot('verdict')}</legend>
            <label>
              <input
                type="radio"
                name="feasible"
                value="true"
                required
                checked={verdict === 'true'}
                onChange={() => setVerdict('true')}
              />
              {ot('verdictFeasible')}
            </label>
            <label>
              <input
                type="radio"
                name="feasible"
                value="false"
                checked={verdict === 'false'}
                onChange={() => setVerdict('false')}
              />
              {ot('verdictUnfeasible')}
            </label>
            <GroupError name="feasible" />
          </fieldset>
          {verdict !== 'false' && (
            <Field name="cost" label={ot('cost')} hint={ot('costHint')}>
              {(props) => <input {...props} type="number" min={1} inputMode="numeric" />}
            </Field>
          )}
          <Field
            name="explanation"
            label={verdict === 'false' ? ot('explanationUnfeasible') : ot('explanation')}
          >
            {(props) => <textarea {...props} rows={3} required maxLength={5000} />}
          </Field>
          <button type="submit" class="primary">
            {ot('saveReview')}
          </button>
        </OfficeForm>
      )}
    </li>
  );
}

type RollAnswer = {
  imported: number;
  codes: { ref: string; code: string }[];
  rejected: { line: number; reason: string }[];
};

const REJECT_REASONS = ['columns', 'ref', 'duplicate', 'unknown_heading', 'unknown_class'];

/** The new codes as a CSV file made here (the server shows them once, in its answer). */
function downloadCodes(title: string, codes: RollAnswer['codes']): void {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const csv = `\uFEFFref,code\r\n${codes.map((c) => `${quote(c.ref)},${c.code}`).join('\r\n')}\r\n`;
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${title.replace(/[\\/:*?"<>|]/g, '_')} 투표코드.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function RollPanel({ budget: b }: { budget: BudgetView }) {
  const ot = useOT();
  const [csv, setCsv] = useState('ref,heading,class\n');
  const [answer, setAnswer] = useState<RollAnswer | null>(null);
  if (b.electorate !== 'roll') return <p class="notice">{ot('rollOpen')}</p>;
  if (b.phase === 'results' || b.phase === 'execution')
    return <p class="notice">{ot('rollClosed')}</p>;
  return (
    <>
      <h2>{ot('tabRoll')}</h2>
      <p class="hint">{ot('rollHint')}</p>
      <p class="muted" data-testid="roll-known">
        {ot('rollKnown', {
          headings: b.headings.map((h) => h.name).join(', ') || ot('none'),
          classes: b.voterClasses.map((c) => c.key).join(', ') || 'all',
        })}
      </p>
      <OfficeForm
        label={ot('importRoll')}
        prefix="roll"
        onSubmit={async () => {
          setAnswer(null);
          const result = await api.putText<RollAnswer>(`/budgets/${b.id}/voters`, csv, 'text/csv');
          setAnswer(result);
          toast(ot('imported', { n: result.imported }));
        }}
      >
        <Field name="file" label={ot('rollFile')}>
          {(p) => (
            <input
              {...p}
              type="file"
              accept=".csv,text/csv,text/plain"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void file.text().then(setCsv);
              }}
            />
          )}
        </Field>
        <Field name="body" label={ot('rollText')}>
          {(p) => (
            <textarea
              {...p}
              rows={8}
              required
              class="mono"
              spellcheck={false}
              value={csv}
              onInput={(e) => setCsv(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary">
          {ot('importRoll')}
        </button>
      </OfficeForm>
      {answer && (
        <section
          class="section card stack"
          aria-labelledby="roll-result-h"
          data-testid="roll-result"
        >
          <h2 id="roll-result-h">{ot('importResult')}</h2>
          <p class="counts">
            <span>{ot('importedCount', { n: answer.imported })}</span>
            <span>{ot('newCodes', { n: answer.codes.length })}</span>
            <span>{ot('rejectedCount', { n: answer.rejected.length })}</span>
          </p>
          {answer.codes.length > 0 ? (
            <>
              <p class="notice">{ot('codesOnce')}</p>
              <button
                type="button"
                class="primary"
                data-testid="download-codes"
                onClick={() => downloadCodes(b.title, answer.codes)}
              >
                ⬇️ {ot('downloadCodes')}
              </button>
            </>
          ) : (
            <p class="muted">{ot('noNewCodes')}</p>
          )}
          {answer.rejected.length > 0 && (
            <>
              <h3>{ot('rejectedLines')}</h3>
              <ul data-testid="rejected-lines">
                {answer.rejected.map((r) => (
                  <li key={r.line}>
                    <strong>{ot('line', { n: r.line })}</strong>:{' '}
                    {REJECT_REASONS.includes(r.reason)
                      ? ot(`reason_${r.reason}` as OfficeKey)
                      : r.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}

function KioskPanel({ budget: b }: { budget: BudgetView }) {
  const ot = useOT();
  const bt = useBT();
  return (
    <>
      <h2>{ot('kioskTitle')}</h2>
      <p>{ot('kioskHint')}</p>
      {b.electorate !== 'roll' ? (
        <p class="notice">{ot('kioskRollOnly')}</p>
      ) : b.phase !== 'voting' ? (
        <p class="notice">{ot('kioskNotNow', { phase: phaseName(bt, b.phase) })}</p>
      ) : (
        <Link class="btn btn-primary" href={`/budgets/${b.id}/kiosk`}>
          🧾 {ot('openKiosk')}
        </Link>
      )}
    </>
  );
}

type PaperEntry = PaperEntryView;

function PaperPanel({ budget: b }: { budget: BudgetView }) {
  const ot = useOT();
  const bt = useBT();
  const [headingId, setHeadingId] = useState(b.headings[0]?.id ?? '');
  const projects = useLoad(
    () =>
      b.phase === 'voting'
        ? api.get<Page<ProjectView>>(
            `/budgets/${b.id}/projects${query({ status: 'feasible', sort: 'amount', limit: 100 })}`,
          )
        : Promise.resolve(null),
    [b.id, b.phase],
  );
  const entries = useLoad(
    () => api.get<{ items: PaperEntry[] }>(`/budgets/${b.id}/paper-totals`),
    [b.id],
  );
  const list = (projects.data?.items ?? []).filter((p) => p.headingId === headingId);
  const className = (key: string) => b.voterClasses.find((c) => c.key === key)?.name ?? key;
  return (
    <>
      <h2>{ot('paperTitle')}</h2>
      <p class="hint">{ot('paperHint')}</p>
      {b.rule.kind === 'ranked' ? (
        <p class="notice">{ot('paperRanked')}</p>
      ) : b.phase !== 'voting' ? (
        <p class="notice">{ot('paperNotNow', { phase: phaseName(bt, b.phase) })}</p>
      ) : (
        <PaperForm
          budget={b}
          headingId={headingId}
          setHeadingId={setHeadingId}
          projects={projects}
          list={list}
          onEntered={entries.reload}
        />
      )}
      <section class="section" aria-labelledby="paper-entries-h">
        <h2 id="paper-entries-h">{ot('paperEntries')}</h2>
        <ErrorNote error={entries.error} />
        {entries.data?.items.length === 0 && <p class="muted">{ot('noPaperEntries')}</p>}
        {!!entries.data?.items.length && (
          <StackTable
            testId="paper-entries"
            rows={entries.data.items}
            columns={[
              { label: ot('station'), cell: (e) => e.station },
              { label: ot('paperHeading'), cell: (e) => e.headingName },
              { label: ot('paperClass'), cell: (e) => className(e.classKey) },
              { label: ot('paperBallots'), cell: (e) => e.ballots.toLocaleString() },
              {
                label: ot('enteredBy'),
                cell: (e) => (
                  <>
                    {e.enteredBy.displayName} · <Time iso={e.createdAt} style="full" />
                  </>
                ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}

/** One station's totals: a count per project of the heading, each at most the ballots. */
function PaperForm({
  budget: b,
  headingId,
  setHeadingId,
  projects,
  list,
  onEntered,
}: {
  budget: BudgetView;
  headingId: string;
  setHeadingId: (id: string) => void;
  projects: { data: Page<ProjectView> | null | undefined; error: unknown };
  list: ProjectView[];
  onEntered: () => void;
}) {
  const ot = useOT();
  const bt = useBT();
  const w = useWon();
  return (
    <>
      <ErrorNote error={projects.error} />
      <OfficeForm
        label={ot('paperTitle')}
        prefix="paper"
        onSubmit={async (data, form) => {
          const station = text(data, 'station');
          const counts: Record<string, number> = {};
          for (const p of list) counts[p.id] = Number(text(data, `counts.${p.id}`) || '0');
          const classKey = text(data, 'classKey');
          await api.post(`/budgets/${b.id}/paper-totals`, {
            station,
            headingId,
            ballots: Number(text(data, 'ballots')),
            counts,
            ...(classKey ? { classKey } : {}),
          });
          form.reset();
          toast(ot('paperEntered', { station }));
          onEntered();
        }}
      >
        <div class="form-grid">
          <Field name="station" label={ot('station')}>
            {(p) => <input {...p} required maxLength={100} autoComplete="off" />}
          </Field>
          <Field name="headingId" label={ot('paperHeading')}>
            {(p) => (
              <select
                {...p}
                value={headingId}
                onChange={(e) => setHeadingId(e.currentTarget.value)}
              >
                {b.headings.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {b.voterClasses.length > 1 && (
            <Field name="classKey" label={ot('paperClass')}>
              {(p) => (
                <select {...p}>
                  {b.voterClasses.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field name="ballots" label={ot('paperBallots')}>
            {(p) => <input {...p} type="number" min={0} required inputMode="numeric" />}
          </Field>
        </div>
        {!projects.data && !projects.error && <Skeleton lines={2} />}
        {projects.data && list.length === 0 && <p class="muted">{ot('noBallotProjects')}</p>}
        <div class="form-grid" data-testid="paper-counts">
          {list.map((p) => (
            <Field
              key={p.id}
              name={`counts.${p.id}`}
              label={ot('countFor', { title: p.title })}
              hint={`${bt('amount')} ${w(p.cost)}`}
            >
              {(props) => (
                <input {...props} type="number" min={0} defaultValue="0" inputMode="numeric" />
              )}
            </Field>
          ))}
        </div>
        <button type="submit" class="primary">
          {ot('enterPaper')}
        </button>
      </OfficeForm>
    </>
  );
}

function ExecutionPanel({ budget: b }: { budget: BudgetView }) {
  const ot = useOT();
  const bt = useBT();
  const selected = useLoad(
    () =>
      api.get<Page<ProjectView>>(
        `/budgets/${b.id}/projects${query({ status: 'selected', sort: 'amount', limit: 100 })}`,
      ),
    [b.id],
  );
  const open = b.phase === 'execution';
  return (
    <>
      <h2>{ot('executionTitle')}</h2>
      {!open && <p class="notice">{ot('executionNotNow', { phase: phaseName(bt, b.phase) })}</p>}
      <ErrorNote error={selected.error} />
      {!selected.data && !selected.error && <Skeleton lines={3} height="4rem" />}
      {selected.data?.items.length === 0 && <EmptyState icon="🌱" title={ot('noSelected')} />}
      <ul class="stack plain-list" data-testid="execution-list">
        {selected.data?.items.map((p) => (
          <MilestoneCard key={p.id} id={p.id} open={open} />
        ))}
      </ul>
    </>
  );
}

function MilestoneCard({ id, open }: { id: string; open: boolean }) {
  const ot = useOT();
  const w = useWon();
  const project = useLoad(() => api.get<ProjectView>(`/projects/${id}`), [id]);
  const p = project.data;
  if (project.error) return <ErrorNote error={project.error} />;
  if (!p) return <Skeleton lines={2} />;
  const headingId = `ms-${p.id}-h`;
  return (
    <li class="card" aria-labelledby={headingId} data-testid="execution-card">
      <h3 id={headingId} class="card-title">
        <Link href={`/projects/${p.id}`}>{p.title}</Link>
      </h3>
      <p class="meta">
        <span>{p.headingName}</span>
        <span>{w(p.cost)}</span>
      </p>
      {p.milestones.length === 0 ? (
        <p class="muted">{ot('noMilestones')}</p>
      ) : (
        <ol class="timeline">
          {p.milestones.map((m) => (
            <li key={m.id}>
              <strong>{m.title}</strong>{' '}
              <span class="meta">
                <span>{m.date}</span>
                <span>{ot('progress', { n: m.progress })}</span>
              </span>
              {m.body && <p class="user-text">{m.body}</p>}
            </li>
          ))}
        </ol>
      )}
      {open && (
        <OfficeForm
          label={`${ot('addMilestone')}: ${p.title}`}
          prefix={`ms-${p.id.slice(0, 8)}`}
          onSubmit={async (data, form) => {
            const body = text(data, 'body');
            project.set(
              await api.post<ProjectView>(`/projects/${p.id}/milestones`, {
                title: text(data, 'title'),
                date: text(data, 'date'),
                progress: Number(text(data, 'progress')),
                ...(body ? { body } : {}),
              }),
            );
            form.reset();
            toast(ot('milestoneAdded', { title: p.title }));
          }}
        >
          <div class="form-grid">
            <Field name="title" label={ot('milestoneTitle')}>
              {(props) => <input {...props} required maxLength={200} />}
            </Field>
            <OfficeDateField name="date" label={ot('milestoneDate')} dateOnly required />
            <Field name="progress" label={ot('milestoneProgress')}>
              {(props) => (
                <input {...props} type="number" min={0} max={100} required inputMode="numeric" />
              )}
            </Field>
          </div>
          <Field name="body" label={ot('milestoneBody')}>
            {(props) => <textarea {...props} rows={2} maxLength={5000} />}
          </Field>
          <button type="submit" class="primary">
            {ot('addMilestone')}
          </button>
        </OfficeForm>
      )}
    </li>
  );
}

/** A budget's dates in the list (see budgetDates), or a note that it has none. */
function BudgetDates({ budget }: { budget: BudgetView }) {
  const ot = useOT();
  const dates = budgetDates(budget);
  return (
    <>
      {dates.startsAt && (
        <span>
          {ot('from')} <Time iso={dates.startsAt} style="date" />{' '}
        </span>
      )}
      {dates.endsAt && (
        <span>
          {ot('until')} <Time iso={dates.endsAt} style="date" />
        </span>
      )}
      {!dates.startsAt && !dates.endsAt && <span class="muted">{ot('noDates')}</span>}
    </>
  );
}

interface Column<T> {
  label: string;
  /** The heading is for screen readers only (a column of buttons). */
  hidden?: boolean;
  cell: (row: T) => ComponentChildren;
}

/** The office's tables: one card per row on a phone, each cell named by its column (CSS). */
function StackTable<T extends { id: string }>({
  testId,
  rows,
  columns,
}: {
  testId: string;
  rows: readonly T[];
  columns: Column<T>[];
}) {
  return (
    <div class="table-wrap">
      <table class="audit stack-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.label}>
                {c.hidden ? <span class="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {columns.map((c) => (
                <td key={c.label} data-label={c.hidden ? undefined : c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
