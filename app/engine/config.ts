/**
 * The run configuration: one versioned JSON object mirroring TinyNAS's config files (image size,
 * seed structure, budgets, score, space, search), its validation with field-named errors, the
 * migration of older versions, and the presets.
 */
import type { Structure } from './block';
import { budgetViolations, measureCosts, type Budgets, type BudgetKey } from './budgets';
import { CONFIG_FIELDS, DETECTION_STAGE_WEIGHTS, fieldProblem, type FieldPath } from './configFields';
import { ConfigError, describeValue, StructureError } from './errors';
import { upgrade, type FormatVersions } from './migrate';
import { stageCount } from './cost';
import { findReferenceNetwork, REFERENCE_NETWORK_NAMES } from './referenceNetworks';
import { MACRO_STAGE_WEIGHTS } from './benchmark/nasBenchMacro';
import { toPyValue } from './pyliteral';
import { isMeasured, type ScoreType } from './scores';
import { SPACES, SPACE_NAMES, type SpaceName } from './spaces';
import type { BlockDraw } from './spaces/mutate';
import { readStructure } from './structure';
import { isComplete, readProfile, type LatencyProfile } from './latency/profile';
import { LatencyPredictor } from './latency/predictor';

export const CONFIG_VERSION = 4;


/** The measured entropy's forward-pass settings (§4.1), for `type: 'entropy'`. */
interface EntropyScoreConfig {
  /** images per forward pass */
  batch: number;
  resolution: number;
  repeats: number;
  /** BatchNorm in training mode after each conv (the reference skips it) */
  bn: boolean;
  /** ReLU after each conv (the reference skips it) */
  relu: boolean;
  /**
   * children a measured-entropy search hands its scorer per call (one call is measured while the
   * next is mutated); part of the config because it shapes the run: the same config and seed
   * give the same search on every host
   */
  childrenPerCall: number;
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

interface SpaceConfig {
  type: SpaceName;
  /** blocks mutated per child */
  blockNum: number;
  excludeStem: boolean;
  draw: BlockDraw;
}

interface SearchConfig {
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
  /**
   * the device profile a latency budget is measured on (latency/profile.ts), carried whole so a
   * run, its snapshots and its file are complete wherever they are resumed; null without one
   */
  latencyProfile: LatencyProfile | null;
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

export interface Preset {
  name: string;
  description: string;
  config: () => RunConfig;
}

/** a preset: what it sets, every other field at its default (configFields.ts) */
const preset = (
  name: string,
  description: string,
  settings: { imageSize: number; seedName: string; budgets: Partial<RunConfig['budgets']>; weights: readonly number[]; space?: SpaceName; search?: Partial<SearchConfig> },
): Preset => ({
  name,
  description,
  config: () =>
    validateConfig({
      version: CONFIG_VERSION,
      imageSize: settings.imageSize,
      model: seed(settings.seedName),
      budgets: settings.budgets,
      score: { multiBlockRatio: [...settings.weights] },
      ...(settings.space && { space: { type: settings.space } }),
      ...(settings.search && { search: settings.search }),
    }),
});

export const PRESETS: readonly Preset[] = [
  preset('detection-r50', 'MAE-DET detection search at a ResNet-50 budget (TinyNAS configs/detection/R50_FLOPs.py): 480×480, ≤ 18.8 GFLOPs, ≤ 91 layers, stage weights [0,0,1,1,6].', {
    imageSize: 480,
    seedName: 'r50_det_seed',
    budgets: { flops: 188e8, layers: 91 },
    weights: DETECTION_STAGE_WEIGHTS,
  }),
  // ResNet-101 is 7.80 GFLOPs at 224; scaled to 480 as the R50 preset scales 4.09 G:
  // 7.80 × (480/224)² = 35.8 G. MAE-DET-L, the R101-aligned published net, has 109 layers,
  // and its L caps of 12 are 109 // 3 // 3 for a 5-block list, so the seed has 5 blocks.
  preset('detection-r101', 'Detection search at a ResNet-101 budget: 480×480, ≤ 35.8 GFLOPs (7.80 G × (480/224)²), ≤ 109 layers (MAE-DET-L), 5-block R50 seed, weights [0,0,1,1,6].', {
    imageSize: 480,
    seedName: 'r50_det_seed_5block',
    budgets: { flops: 358e8, layers: 109 },
    weights: DETECTION_STAGE_WEIGHTS,
  }),
  preset('classification-r50', 'Classification search at a ResNet-50 budget (TinyNAS configs/classification/R50_FLOPs.py): 224×224, ≤ 4.1 GFLOPs, ≤ 49 layers, ≤ 25.55 M params, weights [0,0,0,0,1].', {
    imageSize: 224,
    seedName: 'r50_det_seed',
    budgets: { flops: 41e8, params: 25.55e6, layers: 49 },
    weights: [0, 0, 0, 0, 1],
  }),
  // a space of 6,561 networks: a small population and 1,000 children reach the score's best
  preset('nas-bench-macro', 'Search NAS-Bench-Macro’s space (CIFAR-10, 32×32), where every network was trained: 8 layers of identity / MBv2 choices, from the all-identity network, TinyNAS’s classification weights [0,0,0,1], population 32, 1,000 children. Set a MACs budget.', {
    imageSize: 32,
    seedName: 'nbm_00000000',
    budgets: {},
    weights: MACRO_STAGE_WEIGHTS,
    space: 'macro',
    search: { popuSize: 32, numRandomNets: 1000 },
  }),
];

export const PRESET_NAMES = PRESETS.map((p) => p.name);

export function presetConfig(name: string): RunConfig {
  const found = PRESETS.find((p) => p.name === name);
  if (!found) throw new ConfigError('preset', `unknown preset ${JSON.stringify(name)}; expected one of ${PRESET_NAMES.join(', ')}`);
  return found.config();
}

// ------------------------------------------------------------------ versions

/**
 * version 2 added `score.entropy.childrenPerCall`, version 3 `budgets.latency` and
 * `latencyProfile`, version 4 `budgets.macs` (an older config gets their defaults: off)
 */
export const CONFIG_VERSIONS: FormatVersions = {
  name: 'config',
  current: CONFIG_VERSION,
  steps: { 1: (v1) => v1, 2: (v2) => v2, 3: (v3) => v3 },
  // the first configs had no version field
  unversioned: 1,
};

// ------------------------------------------------------------------ validation

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** the config's objects and the keys each may hold besides its table fields */
const SECTIONS: Readonly<Record<string, readonly string[]>> = { '': ['version', 'model', 'latencyProfile'], budgets: [], score: ['multiBlockRatio'], 'score.entropy': [], space: [], search: [] };

/** the object at a section path ('' for the root); {} when absent */
function sectionAt(raw: Obj, path: string): Obj {
  let o: Obj = raw;
  for (const key of path ? path.split('.') : []) {
    const v = o[key];
    if (v === undefined) return {};
    if (!isObj(v)) throw new ConfigError(path, `found ${describeValue(v)}, expected an object`);
    o = v;
  }
  return o;
}

/** every key of every section is a field, a sub-section or one of its extra keys */
function checkKnownKeys(raw: Obj): void {
  for (const [section, extra] of Object.entries(SECTIONS)) {
    const prefix = section ? `${section}.` : '';
    const known = new Set(extra);
    for (const path of [...FIELD_PATHS, ...Object.keys(SECTIONS)]) if (path.startsWith(prefix) && path !== section) known.add(path.slice(prefix.length).split('.')[0]);
    for (const key of Object.keys(sectionAt(raw, section))) if (!known.has(key)) throw new ConfigError(`${prefix}${key}`, `unknown field; expected ${[...known].join(', ')}`);
  }
}

const FIELD_PATHS = Object.keys(CONFIG_FIELDS) as FieldPath[];

/** a table field's value: checked, or its default when absent */
function fieldValue(raw: Obj, path: FieldPath): unknown {
  const at = path.lastIndexOf('.');
  const value = sectionAt(raw, path.slice(0, Math.max(at, 0)))[path.slice(at + 1)];
  const field = CONFIG_FIELDS[path];
  if (value === undefined) return field.default;
  const problem = fieldProblem(field, value);
  if (problem) throw new ConfigError(path, problem);
  return value;
}

function readModel(raw: Obj): RunConfig['model'] {
  const model = sectionAt(raw, 'model');
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

function readLatencyProfile(raw: Obj): LatencyProfile | null {
  const profile = raw.latencyProfile ?? null;
  if (profile === null) return null;
  try {
    return readProfile(profile);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`latencyProfile.${e.path}`, e.reason);
    throw e;
  }
}

function readWeights(raw: Obj): number[] {
  const ratio = sectionAt(raw, 'score').multiBlockRatio ?? [...DETECTION_STAGE_WEIGHTS];
  if (!Array.isArray(ratio) || ratio.length === 0 || ratio.length > 16 || !ratio.every((r) => typeof r === 'number' && Number.isFinite(r) && r >= 0)) {
    throw new ConfigError('score.multiBlockRatio', `found ${describeValue(ratio)}, expected a list of 1 to 16 non-negative numbers, one per stage`);
  }
  if (!ratio.some((r) => r > 0)) throw new ConfigError('score.multiBlockRatio', 'all weights are 0, so every network would score 0; expected at least one positive weight');
  return ratio as number[];
}

/** Validate a config (any version) and return it complete, with defaults filled in. */
export function validateConfig(input: unknown): RunConfig {
  if (!isObj(input)) throw new ConfigError('config', `found ${describeValue(input)}, expected a JSON object`);
  const raw = upgrade(CONFIG_VERSIONS, input);
  checkKnownKeys(raw);
  const v = <T>(path: FieldPath) => fieldValue(raw, path) as T;
  const config: RunConfig = {
    version: CONFIG_VERSION,
    latencyProfile: readLatencyProfile(raw),
    imageSize: v('imageSize'),
    model: readModel(raw),
    budgets: { flops: v('budgets.flops'), macs: v('budgets.macs'), params: v('budgets.params'), layers: v('budgets.layers'), efficientScore: v('budgets.efficientScore'), latency: v('budgets.latency') },
    score: {
      type: v('score.type'),
      multiBlockRatio: readWeights(raw),
      imageSize: v('score.imageSize'),
      alpha1: v('score.alpha1'),
      alpha2: v('score.alpha2'),
      entropy: {
        batch: v('score.entropy.batch'),
        resolution: v('score.entropy.resolution'),
        repeats: v('score.entropy.repeats'),
        bn: v('score.entropy.bn'),
        relu: v('score.entropy.relu'),
        childrenPerCall: v('score.entropy.childrenPerCall'),
      },
    },
    space: { type: v('space.type'), blockNum: v('space.blockNum'), excludeStem: v('space.excludeStem'), draw: v('space.draw') },
    search: {
      popuSize: v('search.popuSize'),
      numRandomNets: v('search.numRandomNets'),
      syncSizeRatio: v('search.syncSizeRatio'),
      minorMutation: v('search.minorMutation'),
      minorIter: v('search.minorIter'),
      numNetwork: v('search.numNetwork'),
      seed: v('search.seed'),
      workers: v('search.workers'),
    },
  };
  checkConsistency(config);
  return config;
}

/** Cross-field checks: the seed fits the space, the score's stage count, and every budget. */
function checkConsistency(config: RunConfig): void {
  const structure = config.model.structure;
  const space = SPACES[config.space.type];
  structure.forEach((b, i) => {
    if (b.class !== 'ConvKXBNRELU' && !space.blockClasses.includes(b.class)) {
      throw new ConfigError('model.structure', `block ${i} is ${b.class}, but space '${space.name}' mutates ${space.blockClasses.join(' and ')} blocks (and ConvKXBNRELU); pick space ${SPACE_NAMES.find((n) => SPACES[n].blockClasses.includes(b.class)) ?? 'another'} or change the seed`);
    }
  });
  const stages = stageCount(structure);
  if (stages !== config.score.multiBlockRatio.length) {
    throw new ConfigError(
      'score.multiBlockRatio',
      `has ${config.score.multiBlockRatio.length} weights but the starting network (seed structure) has ${stages} stages (stride-2 blocks after the stem, plus one); expected ${stages} weights`,
    );
  }
  if (isMeasured(config.score.type) && config.search.workers > 1) {
    throw new ConfigError('search.workers', `found ${config.search.workers}, but a measured-entropy search runs as one search (its forward passes run in a scoring worker); expected 1`);
  }
  if (config.budgets.latency !== null && config.latencyProfile === null) {
    throw new ConfigError('budgets.latency', 'a latency budget needs the device profile it is measured on (latencyProfile; in the CLI --profile FILE)');
  }
  if (config.latencyProfile !== null && !isComplete(config.latencyProfile)) {
    throw new ConfigError('latencyProfile', `the profile “${config.latencyProfile.name}” is partial (${config.latencyProfile.units.length} of ${config.latencyProfile.plan.units} units): resume it before searching with it`);
  }
  const predictor = config.latencyProfile ? new LatencyPredictor(config.latencyProfile) : undefined;
  const violations = budgetViolations(measureCosts(structure, config.imageSize, budgetsOf(config), predictor), budgetsOf(config));
  if (violations.length > 0) {
    const v = violations[0];
    throw new ConfigError(`budgets.${v.key}`, `the starting network (seed structure) needs ${formatBudgetValue(v.key, v.value)} but the budget is ${formatBudgetValue(v.key, v.budget)}; it must fit every budget`);
  }
}

/** 7.75 GFLOPs, 9.64 M params, 16 layers — for messages. */
function formatBudgetValue(key: BudgetKey, value: number): string {
  if (key === 'flops') return `${(value / 1e9).toFixed(2)} GFLOPs`;
  if (key === 'macs') return `${(value / 1e6).toFixed(2)} M MACs`;
  if (key === 'params') return `${(value / 1e6).toFixed(2)} M params`;
  if (key === 'layers') return `${value} layers`;
  if (key === 'latency') return `${value === Infinity ? 'a latency the profile cannot predict (a unit it never measured)' : `${value.toFixed(2)} ms`}`;
  return `efficient score ${value.toFixed(4)}`;
}
