/**
 * The run configuration: one versioned JSON object mirroring TinyNAS's config files (image size,
 * seed structure, budgets, score, space, search), its validation with field-named errors, the
 * migration of older versions, and the presets.
 */
import type { Structure } from './block';
import { budgetViolations, measureCosts, type Budgets, type BudgetKey } from './budgets';
import { ConfigError, describeValue, StructureError } from './errors';
import { stageCount } from './network';
import { findReferenceNetwork, REFERENCE_NETWORK_NAMES } from './networks';
import { toPyValue } from './pyliteral';
import { SPACES, SPACE_NAMES, type SpaceName } from './spaces';
import type { BlockDraw } from './spaces/mutate';
import { MAX_SEED } from './rng';
import { readStructure } from './structure';

export const CONFIG_VERSION = 1;

export type ScoreType = 'madnas' | 'deepmad' | 'entropy';

/** The measured entropy's forward-pass settings (§4.1), for `type: 'entropy'`. */
export interface EntropyScoreConfig {
  batch: number;
  resolution: number;
  repeats: number;
  /** BatchNorm in training mode after each conv (the reference skips it) */
  bn: boolean;
  /** ReLU after each conv (the reference skips it) */
  relu: boolean;
}

export interface ScoreConfig {
  /** madnas / deepmad: analytic; entropy: MAE-DET's measured entropy, a forward pass per child */
  type: ScoreType;
  /** stage weights of the score (5 values for a 5-stage backbone) */
  multiBlockRatio: number[];
  /** DeepMAD only: the score's own image size (stage feature-map sizes) */
  imageSize: number;
  alpha1: number;
  alpha2: number;
  entropy: EntropyScoreConfig;
}

export interface SpaceConfig {
  type: SpaceName;
  /** blocks mutated per child */
  blockNum: number;
  excludeStem: boolean;
  draw: BlockDraw;
}

export interface SearchConfig {
  popuSize: number;
  /** children to generate in total (TinyNAS `num_random_nets`) */
  numRandomNets: number;
  /** population exchange every round(syncSizeRatio · popuSize) children per worker */
  syncSizeRatio: number;
  minorMutation: boolean;
  minorIter: number;
  /** structures written to best_structure.txt */
  numNetwork: number;
  seed: number;
  workers: number;
}

export interface RunConfig {
  version: typeof CONFIG_VERSION;
  /** FLOPs-budget resolution and kernel adjustment side (480 for detection) */
  imageSize: number;
  model: { seedName: string | null; structure: Structure };
  budgets: Record<BudgetKey, number | null>;
  score: ScoreConfig;
  space: SpaceConfig;
  search: SearchConfig;
}

export function budgetsOf(config: RunConfig): Budgets {
  const out: Budgets = {};
  for (const [key, value] of Object.entries(config.budgets) as [BudgetKey, number | null][]) if (value !== null) out[key] = value;
  return out;
}

/** Sync interval per worker: round(syncSizeRatio · popuSize), at least 1. */
export function syncInterval(config: RunConfig): number {
  return Math.max(1, Math.round(config.search.syncSizeRatio * config.search.popuSize));
}

// ------------------------------------------------------------------ presets

function seed(name: string): RunConfig['model'] {
  return { seedName: name, structure: findReferenceNetwork(name)!.structure.map((b) => ({ ...b })) };
}

const DEFAULT_SEARCH: SearchConfig = { popuSize: 256, numRandomNets: 100000, syncSizeRatio: 1.0, minorMutation: false, minorIter: 100000, numNetwork: 1, seed: 0, workers: 1 };
const DEFAULT_SPACE: SpaceConfig = { type: 'k1kxk1', blockNum: 2, excludeStem: false, draw: 'inclusive' };
/** MAE-DET's measured-entropy settings for a search: batch 2 at 224, one repeat per child */
export const DEFAULT_ENTROPY: EntropyScoreConfig = { batch: 2, resolution: 224, repeats: 1, bn: false, relu: false };

const madnasScore = (ratio: number[]): ScoreConfig => ({ type: 'madnas', multiBlockRatio: ratio, imageSize: 224, alpha1: 1, alpha2: 1, entropy: { ...DEFAULT_ENTROPY } });

export interface Preset {
  name: string;
  description: string;
  config: () => RunConfig;
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'detection-r50',
    description: 'MAE-DET detection search at a ResNet-50 budget (TinyNAS configs/detection/R50_FLOPs.py): 480×480, ≤ 18.8 GFLOPs, ≤ 91 layers, stage weights [0,0,1,1,6].',
    config: () => ({
      version: CONFIG_VERSION,
      imageSize: 480,
      model: seed('r50_det_seed'),
      budgets: { flops: 188e8, params: null, layers: 91, efficientScore: null },
      score: madnasScore([0, 0, 1, 1, 6]),
      space: { ...DEFAULT_SPACE },
      search: { ...DEFAULT_SEARCH },
    }),
  },
  {
    // ResNet-101 is 7.80 GFLOPs at 224; scaled to 480 as the R50 preset scales 4.09 G:
    // 7.80 × (480/224)² = 35.8 G. MAE-DET-L, the R101-aligned published net, has 109 layers,
    // and its L caps of 12 are 109 // 3 // 3 for a 5-block list, so the seed has 5 blocks.
    name: 'detection-r101',
    description: 'Detection search at a ResNet-101 budget: 480×480, ≤ 35.8 GFLOPs (7.80 G × (480/224)²), ≤ 109 layers (MAE-DET-L), 5-block R50 seed, weights [0,0,1,1,6].',
    config: () => ({
      version: CONFIG_VERSION,
      imageSize: 480,
      model: seed('r50_det_seed_5block'),
      budgets: { flops: 358e8, params: null, layers: 109, efficientScore: null },
      score: madnasScore([0, 0, 1, 1, 6]),
      space: { ...DEFAULT_SPACE },
      search: { ...DEFAULT_SEARCH },
    }),
  },
  {
    name: 'classification-r50',
    description: 'Classification search at a ResNet-50 budget (TinyNAS configs/classification/R50_FLOPs.py): 224×224, ≤ 4.1 GFLOPs, ≤ 49 layers, ≤ 25.55 M params, weights [0,0,0,0,1].',
    config: () => ({
      version: CONFIG_VERSION,
      imageSize: 224,
      model: seed('r50_det_seed'),
      budgets: { flops: 41e8, params: 25.55e6, layers: 49, efficientScore: null },
      score: madnasScore([0, 0, 0, 0, 1]),
      space: { ...DEFAULT_SPACE },
      search: { ...DEFAULT_SEARCH },
    }),
  },
];

export const PRESET_NAMES = PRESETS.map((p) => p.name);

export function presetConfig(name: string): RunConfig {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) throw new ConfigError('preset', `unknown preset ${JSON.stringify(name)}; expected one of ${PRESET_NAMES.join(', ')}`);
  return preset.config();
}

// ------------------------------------------------------------------ validation

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function section(raw: Obj, key: string, path = key): Obj {
  const v = raw[key];
  if (v === undefined) return {};
  if (!isObj(v)) throw new ConfigError(path, `found ${describeValue(v)}, expected an object`);
  return v;
}

function num(o: Obj, path: string, key: string, fallback: number, check: { min: number; max: number; integer?: boolean }): number {
  const v = o[key];
  if (v === undefined) return fallback;
  const what = `${check.integer ? 'an integer' : 'a number'} from ${check.min} to ${check.max}`;
  if (typeof v !== 'number' || !Number.isFinite(v) || (check.integer && !Number.isInteger(v)) || v < check.min || v > check.max) {
    throw new ConfigError(`${path}.${key}`, `found ${describeValue(v)}, expected ${what}`);
  }
  return v;
}

function bool(o: Obj, path: string, key: string, fallback: boolean): boolean {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`${path}.${key}`, `found ${describeValue(v)}, expected true or false`);
  return v;
}

function oneOf<T extends string>(o: Obj, path: string, key: string, fallback: T, choices: readonly T[]): T {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new ConfigError(`${path}.${key}`, `found ${describeValue(v)}, expected one of ${choices.join(', ')}`);
  return v as T;
}

/** Bring an older config up to the current version (version 1 is the first; a missing version is read as 1). */
export function migrateConfig(raw: unknown): Obj {
  if (!isObj(raw)) throw new ConfigError('config', `found ${describeValue(raw)}, expected a JSON object`);
  const version = raw.version ?? CONFIG_VERSION;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new ConfigError('version', `found ${describeValue(version)}, expected ${CONFIG_VERSION}`);
  if (version > CONFIG_VERSION) throw new ConfigError('version', `found ${version}: this config was written by a newer MAE-DET Studio (this one reads up to version ${CONFIG_VERSION})`);
  return { ...raw, version: CONFIG_VERSION };
}

function readModel(raw: Obj): RunConfig['model'] {
  const model = section(raw, 'model');
  const seedName = model.seedName ?? null;
  if (seedName !== null && (typeof seedName !== 'string' || !findReferenceNetwork(seedName))) {
    throw new ConfigError('model.seedName', `found ${describeValue(seedName)}, expected one of ${REFERENCE_NETWORK_NAMES.join(', ')}`);
  }
  if (model.structure === undefined) {
    if (seedName === null) throw new ConfigError('model', 'expected a seed structure: `structure` (a list of blocks) or `seedName`');
    return { seedName, structure: findReferenceNetwork(seedName)!.structure.map((b) => ({ ...b })) };
  }
  try {
    return { seedName, structure: readStructure(toPyValue(model.structure)) };
  } catch (e) {
    if (e instanceof StructureError || e instanceof Error) throw new ConfigError('model.structure', e.message);
    throw e;
  }
}

function readBudgets(raw: Obj): RunConfig['budgets'] {
  const o = section(raw, 'budgets');
  const out = { flops: null, params: null, layers: null, efficientScore: null } as RunConfig['budgets'];
  for (const key of Object.keys(o)) {
    if (!(key in out)) throw new ConfigError(`budgets.${key}`, `unknown budget; expected flops, params, layers or efficientScore`);
    const v = o[key];
    if (v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(`budgets.${key}`, `found ${describeValue(v)}, expected a positive number or null (off)`);
    out[key as BudgetKey] = v;
  }
  return out;
}

function readScore(raw: Obj): ScoreConfig {
  const o = section(raw, 'score');
  const ratio = o.multiBlockRatio ?? [0, 0, 1, 1, 6];
  if (!Array.isArray(ratio) || ratio.length === 0 || ratio.length > 16 || !ratio.every((r) => typeof r === 'number' && Number.isFinite(r) && r >= 0)) {
    throw new ConfigError('score.multiBlockRatio', `found ${describeValue(ratio)}, expected a list of 1 to 16 non-negative numbers, one per stage`);
  }
  if (!ratio.some((r) => r > 0)) throw new ConfigError('score.multiBlockRatio', 'all weights are 0, so every network would score 0; expected at least one positive weight');
  return {
    type: oneOf<ScoreType>(o, 'score', 'type', 'madnas', ['madnas', 'deepmad', 'entropy']),
    multiBlockRatio: ratio as number[],
    imageSize: num(o, 'score', 'imageSize', 224, { min: 32, max: 4096, integer: true }),
    alpha1: num(o, 'score', 'alpha1', 1, { min: 0, max: 10 }),
    alpha2: num(o, 'score', 'alpha2', 1, { min: 0, max: 10 }),
    entropy: readEntropy(o),
  };
}

function readEntropy(score: Obj): EntropyScoreConfig {
  const o = section(score, 'entropy', 'score.entropy');
  return {
    batch: num(o, 'score.entropy', 'batch', DEFAULT_ENTROPY.batch, { min: 1, max: 256, integer: true }),
    resolution: num(o, 'score.entropy', 'resolution', DEFAULT_ENTROPY.resolution, { min: 32, max: 2048, integer: true }),
    repeats: num(o, 'score.entropy', 'repeats', DEFAULT_ENTROPY.repeats, { min: 1, max: 64, integer: true }),
    bn: bool(o, 'score.entropy', 'bn', DEFAULT_ENTROPY.bn),
    relu: bool(o, 'score.entropy', 'relu', DEFAULT_ENTROPY.relu),
  };
}

/** Validate a config (any version) and return it complete, with defaults filled in. */
export function validateConfig(input: unknown): RunConfig {
  const raw = migrateConfig(input);
  const known = ['version', 'imageSize', 'model', 'budgets', 'score', 'space', 'search'];
  for (const key of Object.keys(raw)) if (!known.includes(key)) throw new ConfigError(key, `unknown field; expected ${known.join(', ')}`);
  const space = section(raw, 'space');
  const search = section(raw, 'search');
  const config: RunConfig = {
    version: CONFIG_VERSION,
    imageSize: num(raw, 'config', 'imageSize', 224, { min: 32, max: 4096, integer: true }),
    model: readModel(raw),
    budgets: readBudgets(raw),
    score: readScore(raw),
    space: {
      type: oneOf<SpaceName>(space, 'space', 'type', 'k1kxk1', SPACE_NAMES),
      blockNum: num(space, 'space', 'blockNum', 2, { min: 1, max: 16, integer: true }),
      excludeStem: bool(space, 'space', 'excludeStem', false),
      draw: oneOf<BlockDraw>(space, 'space', 'draw', 'inclusive', ['inclusive', 'main']),
    },
    search: {
      popuSize: num(search, 'search', 'popuSize', 256, { min: 1, max: 100000, integer: true }),
      numRandomNets: num(search, 'search', 'numRandomNets', 100000, { min: 0, max: 1e9, integer: true }),
      syncSizeRatio: num(search, 'search', 'syncSizeRatio', 1.0, { min: 0.001, max: 1000 }),
      minorMutation: bool(search, 'search', 'minorMutation', false),
      minorIter: num(search, 'search', 'minorIter', 100000, { min: 0, max: 1e9, integer: true }),
      numNetwork: num(search, 'search', 'numNetwork', 1, { min: 1, max: 100000, integer: true }),
      seed: num(search, 'search', 'seed', 0, { min: 0, max: MAX_SEED, integer: true }),
      workers: num(search, 'search', 'workers', 1, { min: 1, max: 64, integer: true }),
    },
  };
  checkConsistency(config);
  return config;
}

/** Cross-field checks: the seed fits the space, the score's stage count, and every budget. */
export function checkConsistency(config: RunConfig): void {
  const structure = config.model.structure;
  const space = SPACES[config.space.type];
  structure.forEach((b, i) => {
    if (b.class !== 'ConvKXBNRELU' && b.class !== space.blockClass) {
      throw new ConfigError('model.structure', `block ${i} is ${b.class}, but space '${space.name}' mutates ${space.blockClass} blocks (and ConvKXBNRELU); pick space ${SPACE_NAMES.find((n) => SPACES[n].blockClass === b.class) ?? 'another'} or change the seed`);
    }
  });
  const stages = stageCount(structure);
  if (stages !== config.score.multiBlockRatio.length) {
    throw new ConfigError(
      'score.multiBlockRatio',
      `has ${config.score.multiBlockRatio.length} weights but the seed structure has ${stages} stages (stride-2 blocks after the stem, plus one); expected ${stages} weights`,
    );
  }
  if (config.score.type === 'entropy' && config.search.workers > 1) {
    throw new ConfigError('search.workers', `found ${config.search.workers}, but a measured-entropy search runs as one search (its forward passes run in a scoring worker); expected 1`);
  }
  const violations = budgetViolations(measureCosts(structure, config.imageSize, budgetsOf(config)), budgetsOf(config));
  if (violations.length > 0) {
    const v = violations[0];
    throw new ConfigError(`budgets.${v.key}`, `the seed structure needs ${formatBudgetValue(v.key, v.value)} but the budget is ${formatBudgetValue(v.key, v.budget)}; the seed must satisfy every budget`);
  }
}

/** 7.75 GFLOPs, 9.64 M params, 16 layers — for messages. */
export function formatBudgetValue(key: BudgetKey, value: number): string {
  if (key === 'flops') return `${(value / 1e9).toFixed(2)} GFLOPs`;
  if (key === 'params') return `${(value / 1e6).toFixed(2)} M params`;
  if (key === 'layers') return `${value} layers`;
  return `efficient score ${value.toFixed(4)}`;
}
