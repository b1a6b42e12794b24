/**
 * NAS-Bench-Macro (Su et al., CVPR 2021; Apache-2.0): 3^8 = 6,561 MobileNetV2-like networks, each
 * trained three times on CIFAR-10. A network is an 8-digit code, digit i the block of layer i
 * (0 identity, 1 inverted residual k3 t3, 2 inverted residual k5 t6); stages of 2, 3 and 3 layers,
 * each starting at stride 2 with doubled channels; stem 3×3 3→32; head 1×1 256→1280 + BN + ReLU,
 * global pool, linear 1280→10. Its params count conv weights, BN γ and β and the classifier; its
 * FLOPs conv and classifier multiply–accumulates at 32×32 (the data's README).
 */
import type { Block, Structure } from '../block';
import { params } from '../cost';
import { ConfigError, describeValue } from '../errors';
import { convMacs } from '../latency/ops';
import type { Benchmark } from './benchmark';

export const MACRO_IMAGE_SIZE = 32;
const STEM_CHANNELS = 32;
const HEAD_CHANNELS = 1280;
const CLASSES = 10;
/** the output channels and stride of the 8 layers: stages of 2, 3, 3, each opening at stride 2 */
const LAYERS: readonly { out: number; s: 1 | 2 }[] = [
  { out: 64, s: 2 }, { out: 64, s: 1 },
  { out: 128, s: 2 }, { out: 128, s: 1 }, { out: 128, s: 1 },
  { out: 256, s: 2 }, { out: 256, s: 1 }, { out: 256, s: 1 },
];

/** the three choices of a layer, by digit */
export const MACRO_CHOICES: readonly { label: string; k: number; t: number }[] = [
  { label: 'identity', k: 1, t: 0 },
  { label: 'MBv2 3×3, t = 3', k: 3, t: 3 },
  { label: 'MBv2 5×5, t = 6', k: 5, t: 6 },
];

/**
 * TinyNAS's classification stage weights (configs/classification: only the last stage, the one
 * the classifier reads), for the stem and the benchmark's three stages.
 */
export const MACRO_STAGE_WEIGHTS: readonly number[] = [0, 0, 0, 1];

export const MACRO_SOURCE = {
  citation: 'Su, X., Huang, T., Li, Y., You, S., Wang, F., Qian, C., Zhang, C., Xu, C. Prioritized Architecture Sampling with Monte-Carlo Tree Search. CVPR 2021.',
  license: 'NAS-Bench-Macro data: Apache License 2.0 (github.com/xiusu/NAS-Bench-Macro, commit 61a2bfc).',
  url: 'https://github.com/xiusu/NAS-Bench-Macro',
} as const;

/** the block of layer `layer` for choice `digit`, on `cin` input channels */
export function macroLayer(layer: number, digit: number, cin: number): Block {
  const { out, s } = LAYERS[layer];
  const choice = MACRO_CHOICES[digit];
  if (choice.t === 0) return { class: 'Identity', in: cin, out, s, k: 1 };
  return { class: 'SuperInvertedResidual', in: cin, out, s, k: choice.k, L: 1, btn: Math.round(cin * choice.t) };
}

/** The network of an 8-digit code, as a structure of the engine's blocks (stem, 8 layers, head). */
export function macroStructure(code: string): Structure {
  if (!/^[012]{8}$/.test(code)) throw new ConfigError('code', `found ${describeValue(code)}, expected 8 digits, each 0, 1 or 2`);
  const blocks: Structure = [{ class: 'ConvKXBNRELU', in: 3, out: STEM_CHANNELS, s: 1, k: 3 }];
  for (let i = 0; i < LAYERS.length; i++) blocks.push(macroLayer(i, Number(code[i]), blocks[blocks.length - 1].out));
  blocks.push({ class: 'ConvKXBNRELU', in: LAYERS[LAYERS.length - 1].out, out: HEAD_CHANNELS, s: 1, k: 1 });
  return blocks;
}

/** the digit a layer's block stands for, or −1 if it is no choice of that layer */
function digitOf(layer: number, b: Block): number {
  return MACRO_CHOICES.findIndex((_, d) => {
    const expected = macroLayer(layer, d, b.in);
    return b.class === expected.class && b.out === expected.out && b.s === expected.s && b.k === expected.k && b.btn === expected.btn && b.L === expected.L && b.p === undefined && b.g === undefined && b.act === undefined;
  });
}

/** The code of a structure of the benchmark's space (what a search found), or undefined. */
export function macroCode(structure: Structure): string | undefined {
  if (structure.length !== LAYERS.length + 2) return undefined;
  const digits = LAYERS.map((_, i) => digitOf(i, structure[i + 1]));
  return digits.every((d) => d >= 0) ? digits.join('') : undefined;
}

/** the classifier (linear 1280 → 10 with bias) the benchmark counts and the structure has not */
const CLASSIFIER_PARAMS = HEAD_CHANNELS * CLASSES + CLASSES;
const CLASSIFIER_MACS = HEAD_CHANNELS * CLASSES;

/** params in the benchmark's convention: the structure's plus the classifier */
export const macroParams = (structure: Structure): number => params(structure) + CLASSIFIER_PARAMS;

/** FLOPs in the benchmark's convention: conv and classifier multiply–accumulates at 32×32 */
export const macroFlops = (structure: Structure): number => convMacs(structure, MACRO_IMAGE_SIZE) + CLASSIFIER_MACS;

/** every network of NAS-Bench-Macro, each under its code: what a search's finds can be looked up in */
export function isNasBenchMacro({ networks }: Benchmark): boolean {
  return networks.length === MACRO_CHOICES.length ** LAYERS.length && new Set(networks.map((n) => n.id)).size === networks.length && networks.every((n) => macroCode(n.structure) === n.id);
}

/** one entry of the benchmark's JSON file */
interface MacroEntry {
  mean_acc: number;
  params: number;
  flops: number;
}

/**
 * The benchmark from its JSON file (the object keyed by code). Accuracy is `mean_acc`; params and
 * FLOPs are the file's (the engine's equal them: tests/engine/benchmark.test.ts).
 */
export function nasBenchMacro(file: unknown): Benchmark {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new ConfigError('file', `found ${describeValue(file)}, expected NAS-Bench-Macro's object keyed by 8-digit codes`);
  const networks = Object.entries(file as Record<string, MacroEntry>).map(([code, entry]) => {
    if (typeof entry?.mean_acc !== 'number' || typeof entry.params !== 'number' || typeof entry.flops !== 'number') {
      throw new ConfigError(code, `found ${describeValue(entry)}, expected {mean_acc, params, flops, …}`);
    }
    return { id: code, structure: macroStructure(code), accuracy: entry.mean_acc, params: entry.params, flops: entry.flops };
  });
  return { name: 'NAS-Bench-Macro (CIFAR-10)', imageSize: MACRO_IMAGE_SIZE, ratio: [...MACRO_STAGE_WEIGHTS], networks, source: { ...MACRO_SOURCE } };
}
