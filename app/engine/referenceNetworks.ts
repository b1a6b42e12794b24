/**
 * Reference networks (spec §1.2–1.4): the published MAE-DET backbones, the detection search seed,
 * and the classification structures that use the same block classes.
 */
import type { Block, Structure } from './block';
import { macroStructure, MACRO_STAGE_WEIGHTS } from './benchmark/nasBenchMacro';

/**
 * The published detection results (TinyNAS configs/detection/README.md, spec §1.5): GFL on COCO,
 * box AP on val; backbone params; backbone FLOPs at a 1280×800 input counted by mmcv's complexity
 * counter (a multiply–add counts once). `network` names the structure here, where there is one.
 */
export const PUBLISHED_DETECTION: readonly { backbone: string; network?: string; paramsM: number; gflops1280x800: number; boxAP: number }[] = [
  { backbone: 'ResNet-50', paramsM: 23.5, gflops1280x800: 83.6, boxAP: 44.7 },
  { backbone: 'ResNet-101', paramsM: 42.4, gflops1280x800: 159.5, boxAP: 46.3 },
  { backbone: 'MAE-DET-S', network: 'maedet_s', paramsM: 21.2, gflops1280x800: 48.7, boxAP: 45.1 },
  { backbone: 'MAE-DET-M', network: 'maedet_m', paramsM: 25.8, gflops1280x800: 89.9, boxAP: 46.9 },
  { backbone: 'MAE-DET-L', network: 'maedet_l', paramsM: 43.9, gflops1280x800: 152.9, boxAP: 47.8 },
];

export function publishedResult(backbone: string): (typeof PUBLISHED_DETECTION)[number] {
  const row = PUBLISHED_DETECTION.find((r) => r.backbone === backbone || r.network === backbone);
  if (!row) throw new Error(`no published result for ${backbone}`);
  return row;
}

/**
 * MAE-DET-S's entropy score as the paper measures it, by a forward pass: the maedet-branch code on
 * a CPU, batch 32, 480×480 input, 4 repeats, BN and ReLU skipped (spec §9); the std is over the
 * repeats. The analytic madnas of the same network is 1731.907; the gap is the zero-padding border.
 */
export const MEASURED_ENTROPY_MAEDET_S = { mean: 1729.192, stdOverRepeats: 0.7, batch: 32, resolution: 480, repeats: 4 } as const;

const published = (backbone: string, size: string) => {
  const r = publishedResult(backbone);
  return `Published ${size} backbone: ${r.paramsM} M params, ${r.gflops1280x800} GFLOPs at 1280×800, ${r.boxAP} box AP (GFL).`;
};

const stem = (out: number): Block => ({ class: 'ConvKXBNRELU', in: 3, out, s: 2, k: 3 });
const k1kxk1 = (cin: number, out: number, s: 1 | 2, k: number, L: number, btn: number): Block => ({ class: 'SuperResK1KXK1', in: cin, out, s, k, L, btn });

export interface ReferenceNetwork {
  name: string;
  label: string;
  description: string;
  structure: Structure;
  /** the stage weights it is scored with when not the studio's (a network with other stages) */
  ratio?: readonly number[];
}

export const REFERENCE_NETWORKS: readonly ReferenceNetwork[] = [
  {
    name: 'r50_det_seed',
    label: 'R50 search seed',
    description: 'The detection search seed of TinyNAS (configs/detection/R50_FLOPs.py): six blocks with one bottleneck each, block 4 at stride 1 — a small start named after the ResNet-50 budget, not ResNet-50.',
    structure: [stem(32), k1kxk1(32, 256, 2, 3, 1, 64), k1kxk1(256, 512, 2, 3, 1, 128), k1kxk1(512, 768, 2, 3, 1, 256), k1kxk1(768, 1024, 1, 3, 1, 256), k1kxk1(1024, 2048, 2, 3, 1, 512)],
  },
  {
    name: 'r50_det_seed_5block',
    label: 'R50 seed, 5 blocks',
    description: 'The R50 seed without its stride-1 block, like the published MAE-DET nets: the L caps then allow 10 inner blocks per stage under a 91-layer budget.',
    structure: [stem(32), k1kxk1(32, 256, 2, 3, 1, 64), k1kxk1(256, 512, 2, 3, 1, 128), k1kxk1(512, 768, 2, 3, 1, 256), k1kxk1(768, 2048, 2, 3, 1, 512)],
  },
  {
    name: 'maedet_s',
    label: 'MAE-DET-S',
    description: published('MAE-DET-S', 'small'),
    structure: [stem(32), k1kxk1(32, 48, 2, 5, 2, 32), k1kxk1(48, 272, 2, 3, 4, 120), k1kxk1(272, 1024, 2, 5, 10, 80), k1kxk1(1024, 2048, 2, 3, 10, 240)],
  },
  {
    name: 'maedet_m',
    label: 'MAE-DET-M',
    description: published('MAE-DET-M', 'medium'),
    structure: [stem(64), k1kxk1(64, 120, 2, 3, 2, 64), k1kxk1(120, 512, 2, 5, 10, 72), k1kxk1(512, 1632, 2, 5, 10, 112), k1kxk1(1632, 2048, 2, 5, 8, 184)],
  },
  {
    name: 'maedet_l',
    label: 'MAE-DET-L',
    description: published('MAE-DET-L', 'large'),
    structure: [stem(80), k1kxk1(80, 144, 2, 3, 2, 80), k1kxk1(144, 608, 2, 5, 12, 88), k1kxk1(608, 1912, 2, 5, 12, 136), k1kxk1(1912, 2400, 2, 5, 10, 220)],
  },
  {
    name: 'cls_r18_like',
    label: 'R18-like (classification)',
    description: 'TinyNAS classification structure at the ResNet-18 level.',
    structure: [stem(40), k1kxk1(40, 256, 2, 3, 2, 64), k1kxk1(256, 360, 2, 3, 3, 88), k1kxk1(360, 512, 2, 3, 6, 128), k1kxk1(512, 512, 2, 3, 4, 176), k1kxk1(512, 512, 1, 3, 12, 176)],
  },
  {
    name: 'cls_r50_like',
    label: 'R50-like (classification)',
    description: 'TinyNAS classification structure at the ResNet-50 level, searched at 224×224 with stage weights [0,0,0,0,1] — not ResNet-50.',
    structure: [stem(16), k1kxk1(16, 256, 2, 3, 6, 64), k1kxk1(256, 360, 2, 3, 8, 88), k1kxk1(360, 512, 2, 3, 7, 176), k1kxk1(512, 720, 2, 3, 2, 360), k1kxk1(720, 2896, 1, 3, 4, 256)],
  },
  {
    name: 'cls_r152_like',
    label: 'R152-like (classification)',
    description: 'TinyNAS classification structure at the ResNet-152 level.',
    structure: [stem(128), k1kxk1(128, 512, 2, 3, 4, 88), k1kxk1(512, 720, 2, 3, 8, 176), k1kxk1(720, 720, 2, 3, 13, 256), k1kxk1(720, 1024, 2, 3, 10, 360), k1kxk1(1024, 1024, 1, 3, 12, 256)],
  },
  {
    name: 'nbm_00000000',
    label: 'NAS-Bench-Macro 00000000',
    description: 'NAS-Bench-Macro’s smallest network (CIFAR-10, 32×32): every layer an identity, so its only convs are the stem, three 1×1 stride-2 downsamples and the 1×1 head. The seed of a search in the benchmark’s space.',
    structure: macroStructure('00000000'),
    ratio: MACRO_STAGE_WEIGHTS,
  },
];

export function findReferenceNetwork(name: string): ReferenceNetwork | undefined {
  return REFERENCE_NETWORKS.find((n) => n.name === name);
}

export const REFERENCE_NETWORK_NAMES = REFERENCE_NETWORKS.map((n) => n.name);
