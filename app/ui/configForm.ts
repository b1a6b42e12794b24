/**
 * The constraint form: text fields as typed (a draft), turned into a validated RunConfig with a
 * reason per field. The URL carries the draft, so a link reproduces the run.
 */
import { presetConfig, validateConfig, type RunConfig } from '../engine/config';
import { ConfigError } from '../engine/errors';
import { findReferenceNetwork } from '../engine/networks';
import type { SpaceName } from '../engine/spaces';
import { MAX_SEED } from '../engine/rng';
import { asSentence } from './format';
import { parseStructure } from '../engine/structure';
import { formatWithUnit, parseWithUnit } from '../engine/units';

export type BudgetField = 'flops' | 'params' | 'layers';

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
  entropy: { batch: string; resolution: string; repeats: string };
  draw: 'inclusive' | 'main';
  /** a reference network name, or 'pasted' */
  seedNet: string;
  pastedSeed: string;
}

export type FieldErrors = Partial<Record<'imageSize' | BudgetField | 'ratio' | 'popuSize' | 'children' | 'seed' | 'workers' | 'entropy' | 'seedStructure' | 'space', string>>;

export function draftFromConfig(preset: string, c: RunConfig): ConfigDraft {
  const budget = (key: BudgetField) => ({ on: c.budgets[key] !== null, text: c.budgets[key] === null ? '' : key === 'layers' ? String(c.budgets[key]) : formatWithUnit(c.budgets[key]!) });
  return {
    preset,
    space: c.space.type,
    imageSize: String(c.imageSize),
    budgets: { flops: budget('flops'), params: budget('params'), layers: budget('layers') },
    ratio: c.score.multiBlockRatio.map(String),
    popuSize: String(c.search.popuSize),
    children: String(c.search.numRandomNets),
    seed: String(c.search.seed),
    workers: String(c.search.workers),
    objective: c.score.type === 'entropy' ? 'entropy' : 'madnas',
    entropy: { batch: String(c.score.entropy.batch), resolution: String(c.score.entropy.resolution), repeats: String(c.score.entropy.repeats) },
    draw: c.space.draw,
    seedNet: c.model.seedName ?? 'pasted',
    pastedSeed: '',
  };
}

export const MAX_WORKERS = 64;

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

function wholeNumber(text: string, min: number, max: number): number | string {
  const n = Number(text.replace(/[,_\s]/g, ''));
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) return `a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return n;
}

const CONFIG_FIELD: Record<string, keyof FieldErrors> = {
  imageSize: 'imageSize',
  'budgets.flops': 'flops',
  'budgets.params': 'params',
  'budgets.layers': 'layers',
  'score.multiBlockRatio': 'ratio',
  'search.popuSize': 'popuSize',
  'search.numRandomNets': 'children',
  'search.seed': 'seed',
  'search.workers': 'workers',
  'score.entropy.batch': 'entropy',
  'score.entropy.resolution': 'entropy',
  'score.entropy.repeats': 'entropy',
  'model.structure': 'seedStructure',
  'model.seedName': 'seedStructure',
  'space.type': 'space',
};

/** The draft as a config, or the reasons it is not one (field → sentence). */
export function buildConfig(draft: ConfigDraft): { config: RunConfig | null; errors: FieldErrors; summary: string | null } {
  const errors: FieldErrors = {};
  const base = presetConfig(draft.preset);
  const imageSize = wholeNumber(draft.imageSize, 32, 4096);
  if (typeof imageSize === 'string') errors.imageSize = `Input size: ${imageSize}.`;
  const budgets = { ...base.budgets };
  for (const key of ['flops', 'params', 'layers'] as BudgetField[]) {
    const field = draft.budgets[key];
    if (!field.on) budgets[key] = null;
    else {
      const value = key === 'layers' ? wholeNumber(field.text, 1, 100000) : parseWithUnit(field.text);
      if (value === null || typeof value === 'string' || value <= 0) errors[key] = key === 'layers' ? `Layers: ${value ?? 'a whole number'}.` : `${key === 'flops' ? 'FLOPs' : 'Params'}: a positive number such as ${key === 'flops' ? '"18.8 G"' : '"25.5 M"'}.`;
      else budgets[key] = value;
    }
  }
  const ratio = draft.ratio.map((r) => Number(r));
  if (draft.ratio.some((r, i) => r.trim() === '' || !Number.isFinite(ratio[i]) || ratio[i] < 0)) errors.ratio = 'Stage weights: five numbers ≥ 0.';
  const popuSize = wholeNumber(draft.popuSize, 1, 10000);
  if (typeof popuSize === 'string') errors.popuSize = `Population: ${popuSize}.`;
  const children = wholeNumber(draft.children, 1, 100_000_000);
  if (typeof children === 'string') errors.children = `Children: ${children}.`;
  const seed = wholeNumber(draft.seed, 0, MAX_SEED);
  if (typeof seed === 'string') errors.seed = `Seed: ${seed}.`;
  const workers = wholeNumber(draft.workers, 1, MAX_WORKERS);
  if (typeof workers === 'string') errors.workers = `Workers: ${workers}.`;
  const entropy = {
    batch: wholeNumber(draft.entropy.batch, 1, 256),
    resolution: wholeNumber(draft.entropy.resolution, 32, 2048),
    repeats: wholeNumber(draft.entropy.repeats, 1, 64),
  };
  const entropyError = (['batch', 'resolution', 'repeats'] as const).find((k) => typeof entropy[k] === 'string');
  if (draft.objective === 'entropy' && entropyError) errors.entropy = `Measured entropy ${entropyError}: ${entropy[entropyError]}.`;
  let model = base.model;
  if (draft.seedNet === 'pasted') {
    try {
      model = { seedName: null, structure: parseStructure(draft.pastedSeed) };
    } catch (e) {
      errors.seedStructure = `Seed structure: ${(e as Error).message}`;
    }
  } else if (findReferenceNetwork(draft.seedNet)) {
    model = { seedName: draft.seedNet, structure: findReferenceNetwork(draft.seedNet)!.structure };
  }
  if (Object.keys(errors).length > 0) return { config: null, errors, summary: Object.values(errors)[0]! };
  try {
    const config = validateConfig({
      ...base,
      imageSize,
      model,
      budgets,
      score: {
        ...base.score,
        multiBlockRatio: ratio,
        type: draft.objective,
        entropy: draft.objective === 'entropy' ? { ...base.score.entropy, ...(entropy as Record<keyof typeof entropy, number>) } : base.score.entropy,
      },
      space: { ...base.space, type: draft.space, draw: draft.draw },
      search: { ...base.search, popuSize, numRandomNets: children, seed, workers },
    });
    return { config, errors, summary: null };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const field = CONFIG_FIELD[e.path] ?? 'seedStructure';
    const sentence = asSentence(e.reason);
    return { config: null, errors: { [field]: sentence }, summary: sentence };
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
      space: (['k1kxk1', 'kxkx', 'k1kx', 'k1dwk1'] as const).find((s) => s === raw.space) ?? base.space,
      imageSize: text(raw.imageSize, base.imageSize),
      budgets: { flops: budget('flops'), params: budget('params'), layers: budget('layers') },
      ratio: Array.isArray(raw.ratio) && raw.ratio.length === 5 ? raw.ratio.map((r) => text(r, '0')) : base.ratio,
      popuSize: text(raw.popuSize, base.popuSize),
      children: text(raw.children, base.children),
      seed: text(raw.seed, base.seed),
      workers: text(raw.workers, base.workers),
      objective: raw.objective === 'entropy' ? 'entropy' : 'madnas',
      entropy: { batch: text(raw.entropy?.batch, base.entropy.batch), resolution: text(raw.entropy?.resolution, base.entropy.resolution), repeats: text(raw.entropy?.repeats, base.entropy.repeats) },
      draw: raw.draw === 'main' ? 'main' : 'inclusive',
      seedNet: text(raw.seedNet, base.seedNet),
      pastedSeed: text(raw.pastedSeed, ''),
    };
  } catch {
    return null;
  }
}
