/**
 * The constraint form: text fields as typed (a draft), turned into a validated RunConfig with a
 * reason per field. The URL carries the draft, so a link reproduces the run.
 */
import { presetConfig, validateConfig, type RunConfig } from '../engine/config';
import { ConfigError } from '../engine/errors';
import { isComplete, type LatencyProfile } from '../engine/latency/profile';
import { findReferenceNetwork } from '../engine/referenceNetworks';
import { SPACE_NAMES, type SpaceName } from '../engine/spaces';
import { CONFIG_FIELDS, fits, type FieldPath, type NumberField } from '../engine/configFields';
import { asSentence } from './format';
import type { Structure } from '../engine/block';
import { parseStructure } from '../engine/structure';
import { formatWithUnit, parseWithUnit } from '../engine/units';

export type BudgetField = 'flops' | 'macs' | 'params' | 'layers' | 'latency';
const BUDGET_FIELDS: readonly BudgetField[] = ['flops', 'macs', 'params', 'layers', 'latency'];

export interface ConfigDraft {
  preset: string;
  space: SpaceName;
  imageSize: string;
  budgets: Record<BudgetField, { on: boolean; text: string }>;
  ratio: string[];
  popuSize: string;
  children: string;
  seed: string;
  /** search workers; results depend on the count, so the URL carries it */
  workers: string;
  /** the analytic score, or MAE-DET's measured entropy (a forward pass per child) */
  objective: 'madnas' | 'entropy';
  entropy: { batch: string; resolution: string; repeats: string; childrenPerCall: string };
  draw: 'inclusive' | 'main';
  /** a reference network name, or 'pasted' */
  seedNet: string;
  pastedSeed: string;
  /**
   * the name of the active device profile ('' for none): the studio predicts latency with it, and
   * a latency budget is measured on it. The URL carries the name, never the profile (it stays on
   * the device that measured it, in IndexedDB).
   */
  latencyProfile: string;
}

export type FieldErrors = Partial<Record<'imageSize' | BudgetField | 'ratio' | 'popuSize' | 'children' | 'seed' | 'workers' | 'entropy' | 'seedStructure' | 'space', string>>;

/**
 * The stored profile a draft names, as the form needs to know it: the profile, null when none of
 * that name is stored on this device, or 'loading' while the stored profiles are being read.
 */
export type NamedProfile = LatencyProfile | null | 'loading';

function draftFromConfig(preset: string, c: RunConfig): ConfigDraft {
  const budget = (key: BudgetField) => {
    const value = c.budgets[key];
    return { on: value !== null, text: value === null ? '' : key === 'layers' || key === 'latency' ? String(value) : formatWithUnit(value) };
  };
  return {
    preset,
    space: c.space.type,
    imageSize: String(c.imageSize),
    budgets: { flops: budget('flops'), macs: budget('macs'), params: budget('params'), layers: budget('layers'), latency: budget('latency') },
    ratio: c.score.multiBlockRatio.map(String),
    popuSize: String(c.search.popuSize),
    children: String(c.search.numRandomNets),
    seed: String(c.search.seed),
    workers: String(c.search.workers),
    objective: c.score.type === 'entropy' ? 'entropy' : 'madnas',
    entropy: { batch: String(c.score.entropy.batch), resolution: String(c.score.entropy.resolution), repeats: String(c.score.entropy.repeats), childrenPerCall: String(c.score.entropy.childrenPerCall) },
    draw: c.space.draw,
    seedNet: c.model.seedName ?? 'pasted',
    pastedSeed: '',
    latencyProfile: c.latencyProfile?.name ?? '',
  };
}

/** the cores this device reports (1 when it does not say) */
export const deviceCores = (): number => Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);

/**
 * One search worker per core but one, which the page keeps for itself (at least one worker): a
 * page whose thread shares every core with busy workers stutters, and its workers lose more to
 * that than the extra worker gains. The presets say 1, for the CLI.
 */
export function defaultWorkers(cores = deviceCores()): number {
  return Math.min(16, Math.max(1, cores - 1));
}

export function presetDraft(name: string): ConfigDraft {
  return { ...draftFromConfig(name, presetConfig(name)), workers: String(defaultWorkers()) };
}

/** the form's number fields: where each sits in the draft, and the config field it sets */
const NUMBER_FIELDS = {
  imageSize: 'imageSize',
  popuSize: 'search.popuSize',
  children: 'search.numRandomNets',
  seed: 'search.seed',
  workers: 'search.workers',
} as const satisfies Partial<Record<keyof ConfigDraft, FieldPath>>;

const ENTROPY_FIELDS = {
  batch: 'score.entropy.batch',
  resolution: 'score.entropy.resolution',
  repeats: 'score.entropy.repeats',
  childrenPerCall: 'score.entropy.childrenPerCall',
} as const satisfies Record<keyof ConfigDraft['entropy'], FieldPath>;

/** what a number field of the form takes, in words */
function formExpectation(field: NumberField): string {
  const whole = field.integer ? 'a whole number' : 'a number';
  if (field.max === Infinity) return field.exclusiveMin ? `a positive ${field.integer ? 'whole number' : 'number'}` : `${whole} ≥ ${field.min.toLocaleString('en-US')}`;
  return `${whole} from ${field.min.toLocaleString('en-US')} to ${field.max.toLocaleString('en-US')}`;
}

/** a form field's text as its config field's value, or the sentence saying what it takes */
function formNumber(path: FieldPath, text: string, label = CONFIG_FIELDS[path].label): number | string {
  const field = CONFIG_FIELDS[path] as NumberField;
  const n = text.trim() === '' ? NaN : Number(text.replace(/[,_\s]/g, ''));
  return fits(field, n) ? n : `${label}: ${formExpectation(field)}.`;
}

/** milliseconds as typed: "12.5" or "12.5 ms" (not the unit prefixes of FLOPs: "12 m" is no latency) */
function parseMilliseconds(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:ms)?\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

const BUDGET_EXAMPLES: Record<Exclude<BudgetField, 'layers'>, string> = { flops: '"18.8 G"', macs: '"40 M"', params: '"25.5 M"', latency: '"12.5" (milliseconds)' };

/** a budget's text ("18.8 G", "91", "12.5 ms") as its value, or the sentence saying what it takes */
function formBudget(key: BudgetField, text: string): number | string {
  const path = `budgets.${key}` as const;
  const field = CONFIG_FIELDS[path] as NumberField;
  if (key === 'layers') return formNumber(path, text);
  const value = key === 'latency' ? parseMilliseconds(text) : parseWithUnit(text);
  return value !== null && fits(field, value) ? value : `${field.label}: a positive number such as ${BUDGET_EXAMPLES[key]}.`;
}

/** the profile a latency budget is measured on, or the sentence saying why there is none */
function budgetProfile(name: string, named: NamedProfile): LatencyProfile | string {
  if (name === '') return 'Latency: a latency budget needs a device profile. Profile this device first (under the set-up).';
  if (named === 'loading') return 'Latency: reading the device profiles stored in this browser…';
  if (named === null) return `Latency: the profile “${name}” named in the set-up is not stored on this device. Profile this device, or load the profile’s file (under the set-up).`;
  if (!isComplete(named)) return `Latency: the profile “${name}” is partial (${named.units.length} of ${named.plan.units} units measured). Resume it first.`;
  return named;
}

/** the form field that shows an engine error about a config path */
function formFieldOf(path: string): keyof FieldErrors {
  const number = (Object.entries(NUMBER_FIELDS) as [keyof FieldErrors, FieldPath][]).find(([, p]) => p === path);
  if (number) return number[0];
  if (path.startsWith('score.entropy.')) return 'entropy';
  // the profile a latency budget carries is chosen beside that budget
  if (path.startsWith('latencyProfile')) return 'latency';
  const budget = path.slice('budgets.'.length) as BudgetField;
  if (path.startsWith('budgets.') && BUDGET_FIELDS.includes(budget)) return budget;
  if (path === 'score.multiBlockRatio') return 'ratio';
  if (path === 'space.type') return 'space';
  return 'seedStructure';
}

/** the starting network the draft names (`preset` when it names none), or why it cannot be read */
function seedModel(draft: ConfigDraft, preset: RunConfig['model']): RunConfig['model'] | string {
  if (draft.seedNet === 'pasted') {
    try {
      return { seedName: null, structure: parseStructure(draft.pastedSeed) };
    } catch (e) {
      return `Seed structure: ${(e as Error).message}`;
    }
  }
  const network = findReferenceNetwork(draft.seedNet);
  return network ? { seedName: draft.seedNet, structure: network.structure } : preset;
}

/** the draft's starting network, or null while it cannot be read (the form says why) */
export function draftSeed(draft: ConfigDraft): Structure | null {
  const model = seedModel(draft, presetConfig(draft.preset).model);
  return typeof model === 'string' ? null : model.structure;
}

/**
 * The draft as a config, or the reasons it is not one (field → sentence). `named` is the stored
 * profile of the draft's name: a latency budget carries it whole into the config (the search
 * predicts with it); without a latency budget the config carries none.
 */
export function buildConfig(draft: ConfigDraft, named: NamedProfile = null): { config: RunConfig | null; errors: FieldErrors; summary: string | null } {
  const errors: FieldErrors = {};
  const base = presetConfig(draft.preset);
  const numbers: Partial<Record<keyof typeof NUMBER_FIELDS, number>> = {};
  for (const [key, path] of Object.entries(NUMBER_FIELDS) as [keyof typeof NUMBER_FIELDS, FieldPath][]) {
    const value = formNumber(path, draft[key]);
    if (typeof value === 'string') errors[key] = value;
    else numbers[key] = value;
  }
  const budgets = { ...base.budgets };
  for (const key of BUDGET_FIELDS) {
    const field = draft.budgets[key];
    const value = field.on ? formBudget(key, field.text) : null;
    if (typeof value === 'string') errors[key] = value;
    else budgets[key] = value;
  }
  let latencyProfile: LatencyProfile | null = null;
  if (draft.budgets.latency.on) {
    const profile = budgetProfile(draft.latencyProfile, named);
    if (typeof profile === 'string') errors.latency ??= profile;
    else latencyProfile = profile;
  }
  const ratio = draft.ratio.map((r) => Number(r));
  if (draft.ratio.some((r, i) => r.trim() === '' || !Number.isFinite(ratio[i]) || ratio[i] < 0)) errors.ratio = 'Stage weights: five numbers ≥ 0.';
  const entropy = { ...base.score.entropy };
  if (draft.objective === 'entropy') {
    for (const [key, path] of Object.entries(ENTROPY_FIELDS) as [keyof typeof ENTROPY_FIELDS, FieldPath][]) {
      const value = formNumber(path, draft.entropy[key], `Measured entropy ${CONFIG_FIELDS[path].label}`);
      if (typeof value === 'string') errors.entropy ??= value;
      else entropy[key] = value;
    }
  }
  const model = seedModel(draft, base.model);
  if (typeof model === 'string') errors.seedStructure = model;
  if (typeof model === 'string' || Object.keys(errors).length > 0) return { config: null, errors, summary: Object.values(errors)[0]! };
  try {
    const config = validateConfig({
      ...base,
      latencyProfile,
      imageSize: numbers.imageSize,
      model,
      budgets,
      score: { ...base.score, multiBlockRatio: ratio, type: draft.objective, entropy },
      space: { ...base.space, type: draft.space, draw: draft.draw },
      search: { ...base.search, popuSize: numbers.popuSize, numRandomNets: numbers.children, seed: numbers.seed, workers: numbers.workers },
    });
    return { config, errors, summary: null };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const sentence = asSentence(e.reason);
    return { config: null, errors: { [formFieldOf(e.path)]: sentence }, summary: sentence };
  }
}

/** The draft in the URL (`#config=…`): parsed and checked on load, never evaluated. */
export function draftToHash(draft: ConfigDraft): string {
  return `#config=${encodeURIComponent(JSON.stringify(draft))}`;
}

export function draftFromHash(hash: string): ConfigDraft | null {
  const m = /^#config=(.*)$/.exec(hash);
  if (!m) return null;
  try {
    const raw = JSON.parse(decodeURIComponent(m[1])) as Partial<ConfigDraft>;
    const base = presetDraft(typeof raw.preset === 'string' && raw.preset ? raw.preset : 'detection-r50');
    const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
    const budget = (k: BudgetField) => ({ on: typeof raw.budgets?.[k]?.on === 'boolean' ? raw.budgets[k].on : base.budgets[k].on, text: text(raw.budgets?.[k]?.text, base.budgets[k].text) });
    return {
      preset: base.preset,
      space: SPACE_NAMES.find((s) => s === raw.space) ?? base.space,
      imageSize: text(raw.imageSize, base.imageSize),
      budgets: { flops: budget('flops'), macs: budget('macs'), params: budget('params'), layers: budget('layers'), latency: budget('latency') },
      ratio: Array.isArray(raw.ratio) && raw.ratio.length === 5 ? raw.ratio.map((r) => text(r, '0')) : base.ratio,
      popuSize: text(raw.popuSize, base.popuSize),
      children: text(raw.children, base.children),
      seed: text(raw.seed, base.seed),
      workers: text(raw.workers, base.workers),
      objective: raw.objective === 'entropy' ? 'entropy' : 'madnas',
      entropy: {
        batch: text(raw.entropy?.batch, base.entropy.batch),
        resolution: text(raw.entropy?.resolution, base.entropy.resolution),
        repeats: text(raw.entropy?.repeats, base.entropy.repeats),
        childrenPerCall: text(raw.entropy?.childrenPerCall, base.entropy.childrenPerCall),
      },
      draw: raw.draw === 'main' ? 'main' : 'inclusive',
      seedNet: text(raw.seedNet, base.seedNet),
      pastedSeed: text(raw.pastedSeed, ''),
      latencyProfile: text(raw.latencyProfile, base.latencyProfile),
    };
  } catch {
    return null;
  }
}
