/**
 * Every setting of a run config, once: where it sits in the config, its type, default, limits,
 * unit and help. `validateConfig`, the presets, the studio's form and URL and the CLI's options
 * are all derived from this table, so a limit changed here changes everywhere.
 */
import { describeValue } from './errors';
import { MAX_SEED } from './rng';
import { SCORE_TYPES } from './scores';
import { SPACE_NAMES } from './spaces';

interface FieldBase {
  /** a person's name for it, as the form labels it */
  label: string;
  help: string;
  /** the CLI `search` option that sets it */
  cli?: string;
}

export interface NumberField extends FieldBase {
  kind: 'number';
  /** the value a config without this field gets; null: off */
  default: number | null;
  min: number;
  max: number;
  integer: boolean;
  /** min itself is not allowed (a budget must be positive) */
  exclusiveMin?: boolean;
  /** null switches it off (a budget) */
  nullable?: boolean;
  unit?: string;
}

interface BooleanField extends FieldBase {
  kind: 'boolean';
  default: boolean;
}

interface ChoiceField extends FieldBase {
  kind: 'choice';
  default: string;
  choices: readonly string[];
}

export type ConfigField = NumberField | BooleanField | ChoiceField;

/**
 * MAE-DET's detection stage weights r_i for stages C1 (stem) … C5 (TinyNAS configs/detection,
 * `multi_block_ratio`), an empirical default: C3–C5, which MAE-DET's FPN reads, count. As each
 * stage sum runs from the stem, a block's term weighs r from its stage on (scores/madnas.ts).
 */
export const DETECTION_STAGE_WEIGHTS: readonly number[] = [0, 0, 1, 1, 6];

const budget = (label: string, unit: string, integer: boolean, help: string): NumberField => ({
  kind: 'number',
  label,
  default: null,
  min: 0,
  exclusiveMin: true,
  max: Infinity,
  integer,
  nullable: true,
  unit,
  help,
});

const fields = {
  imageSize: { kind: 'number', label: 'Input size', default: 224, min: 32, max: 4096, integer: true, unit: 'px', help: 'The side of the square image at which FLOPs are counted and kernel sizes are checked (480 for detection). The score does not depend on it.' },
  'budgets.flops': budget('FLOPs', 'FLOPs', false, 'The most FLOPs a network may need at the input size, counted as TinyNAS does (multiply–accumulates plus BN and ReLU operations). 18.8 G at 480 is ResNet-50 scaled to that size.'),
  'budgets.macs': {
    ...budget('MACs', 'MACs', false, 'The most multiply–accumulates of the convs a network may need at the input size, BN, ReLU and additions not counted: the convention of most papers and of NAS-Bench-Macro (whose FLOPs add the classifier’s 12,800).'),
    cli: 'budget-macs',
  },
  'budgets.params': budget('Params', 'params', false, 'The most parameters a network may have.'),
  'budgets.layers': budget('Layers', 'layers', true, 'The most conv layers a network may have (3 per bottleneck block, 1 for the stem).'),
  'budgets.efficientScore': budget('Efficient score', '', false, "TinyNAS's efficient-score budget (off in MAE-DET's configs)."),
  'budgets.latency': {
    ...budget('Latency', 'ms', false, 'The most milliseconds a network may take per image (batch 1) on the device of the chosen latency profile, at the profile’s input size, as its predictor says. Needs a device profile (Profile this device).'),
    cli: 'budget-latency',
  },
  'score.type': { kind: 'choice', label: 'Objective', default: 'madnas', choices: SCORE_TYPES, cli: 'score', help: 'What the search maximises. madnas: MAE-DET’s analytic score, a sum of log-std gains computed from the architecture in microseconds; entropy: the same score measured by a forward pass of the untrained network per child (slow); deepmad: DeepMAD’s score.' },
  'score.imageSize': { kind: 'number', label: 'DeepMAD image size', default: 224, min: 32, max: 4096, integer: true, unit: 'px', help: 'DeepMAD only: the image size its score uses for the stage feature maps.' },
  'score.alpha1': { kind: 'number', label: 'DeepMAD α₁', default: 1, min: 0, max: 10, integer: false, help: 'DeepMAD only: the weight of its effectiveness term.' },
  'score.alpha2': { kind: 'number', label: 'DeepMAD α₂', default: 1, min: 0, max: 10, integer: false, help: 'DeepMAD only: the weight of its depth term.' },
  'score.entropy.batch': { kind: 'number', label: 'batch', default: 2, min: 1, max: 256, integer: true, unit: 'images', cli: 'batch', help: 'Images per forward pass (the paper: 32).' },
  'score.entropy.resolution': { kind: 'number', label: 'resolution', default: 224, min: 32, max: 2048, integer: true, unit: 'px', cli: 'resolution', help: 'The side of the random images (the paper: 480).' },
  'score.entropy.repeats': { kind: 'number', label: 'repeats', default: 1, min: 1, max: 64, integer: true, cli: 'repeats', help: 'Forward passes per child, averaged (the paper: 4).' },
  'score.entropy.bn': { kind: 'boolean', label: 'BatchNorm', default: false, help: 'BatchNorm in training mode after each conv (the reference skips it).' },
  'score.entropy.relu': { kind: 'boolean', label: 'ReLU', default: false, help: 'ReLU after each conv (the reference skips it).' },
  'score.entropy.childrenPerCall': {
    kind: 'number',
    label: 'children per call',
    default: 4,
    min: 1,
    max: 256,
    integer: true,
    unit: 'children',
    cli: 'children-per-call',
    help: 'Children handed to the scorer at a time: one call is measured while the next is mutated. Small, so Pause and Stop take effect within a few forward passes.',
  },
  'space.type': { kind: 'choice', label: 'Search space', default: 'k1kxk1', choices: SPACE_NAMES, help: 'The kind of block networks are built from. k1kxk1: MAE-DET’s bottleneck (1×1, k×k, 1×1 convs); kxkx and k1kx: DAMO-YOLO’s blocks; k1dwk1: MobileNetV2-like depthwise blocks.' },
  'space.blockNum': { kind: 'number', label: 'Blocks mutated per child', default: 2, min: 1, max: 16, integer: true, help: 'How many blocks one mutation changes.' },
  'space.excludeStem': { kind: 'boolean', label: 'Keep the stem', default: false, help: 'Never mutate the first block.' },
  'space.draw': { kind: 'choice', label: 'Block draw', default: 'inclusive', choices: ['inclusive', 'main'], cli: 'draw', help: 'Which blocks a mutation may pick. inclusive: any block (as the maedet branch, which found the published networks); main: never the last block (as TinyNAS’s main branch draws).' },
  'search.popuSize': { kind: 'number', label: 'Population', default: 256, min: 1, max: 100_000, integer: true, unit: 'networks', help: 'How many of the best networks the search keeps; each child’s parent is drawn from them (TinyNAS popu_size).' },
  'search.numRandomNets': { kind: 'number', label: 'Children', default: 100_000, min: 0, max: 1e9, integer: true, unit: 'children', cli: 'iterations', help: 'How many new networks the search makes and checks in total; each child is a mutated copy of a population member (TinyNAS num_random_nets).' },
  'search.syncSizeRatio': { kind: 'number', label: 'Sync ratio', default: 1, min: 0.001, max: 1000, integer: false, help: 'Islands exchange populations every round(ratio × population) children per worker.' },
  'search.minorMutation': { kind: 'boolean', label: 'Minor mutation', default: false, help: 'Late in the search, mutate by smaller steps.' },
  'search.minorIter': { kind: 'number', label: 'Minor mutation from', default: 100_000, min: 0, max: 1e9, integer: true, unit: 'children', help: 'The child count after which minor mutation starts.' },
  'search.numNetwork': { kind: 'number', label: 'Networks written', default: 1, min: 1, max: 100_000, integer: true, unit: 'networks', help: 'Structures written to best_structure.txt.' },
  'search.seed': { kind: 'number', label: 'Random seed', default: 0, min: 0, max: MAX_SEED, integer: true, cli: 'seed', help: 'The number the random draws start from: the same random seed gives the same search. (Not the starting network.)' },
  'search.workers': { kind: 'number', label: 'Workers', default: 1, min: 1, max: 64, integer: true, unit: 'workers', cli: 'workers', help: 'Web Workers searching in parallel as islands: each runs its own population, and they swap populations every sync interval (sync ratio × population children). The result depends on the count.' },
} satisfies Record<string, ConfigField>;

export type FieldPath = keyof typeof fields;

export const CONFIG_FIELDS: Readonly<Record<FieldPath, ConfigField>> = fields;

/** what a field expects, as the engine says it ("an integer from 1 to 256") */
export function expectation(field: ConfigField): string {
  if (field.kind === 'boolean') return 'true or false';
  if (field.kind === 'choice') return `one of ${field.choices.join(', ')}`;
  const a = field.integer ? 'an integer' : 'a number';
  const range =
    field.exclusiveMin && field.min === 0 && field.max === Infinity ? `${field.integer ? 'a positive integer' : 'a positive number'}` : field.max === Infinity ? `${a} ≥ ${field.min}` : `${a} from ${field.min} to ${field.max}`;
  return field.nullable ? `${range} or null (off)` : range;
}

/** whether a value fits a field */
export function fits(field: ConfigField, value: unknown): boolean {
  if (field.kind === 'boolean') return typeof value === 'boolean';
  if (field.kind === 'choice') return typeof value === 'string' && field.choices.includes(value);
  if (value === null) return field.nullable === true;
  return typeof value === 'number' && Number.isFinite(value) && (!field.integer || Number.isInteger(value)) && (field.exclusiveMin ? value > field.min : value >= field.min) && value <= field.max;
}

/** the reason a value does not fit a field, or null */
export function fieldProblem(field: ConfigField, value: unknown): string | null {
  return fits(field, value) ? null : `found ${describeValue(value)}, expected ${expectation(field)}`;
}
