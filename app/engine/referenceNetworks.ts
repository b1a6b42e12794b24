/**
 * Reference networks (spec §1.2–1.4): the published MAE-DET backbones, the detection search seed,
 * and the classification structures that use the same block classes.
 */
import type { Block, Structure } from './block';

const stem = (out: number): Block => ({ class: 'ConvKXBNRELU', in: 3, out, s: 2, k: 3 });
const k1kxk1 = (cin: number, out: number, s: 1 | 2, k: number, L: number, btn: number): Block => ({ class: 'SuperResK1KXK1', in: cin, out, s, k, L, btn });

export interface ReferenceNetwork {
  name: string;
  label: string;
  description: string;
  structure: Structure;
}

export const REFERENCE_NETWORKS: readonly ReferenceNetwork[] = [
  {
    name: 'r50_det_seed',
    label: 'R50 search seed',
    description: 'The detection search seed of TinyNAS (configs/detection/R50_FLOPs.py): six blocks, block 4 at stride 1.',
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
    description: 'Published small backbone: 21.2 M params, 48.7 GFLOPs at 1280×800, 45.1 box AP (GFL).',
    structure: [stem(32), k1kxk1(32, 48, 2, 5, 2, 32), k1kxk1(48, 272, 2, 3, 4, 120), k1kxk1(272, 1024, 2, 5, 10, 80), k1kxk1(1024, 2048, 2, 3, 10, 240)],
  },
  {
    name: 'maedet_m',
    label: 'MAE-DET-M',
    description: 'Published medium backbone: 25.8 M params, 89.9 GFLOPs at 1280×800, 46.9 box AP (GFL).',
    structure: [stem(64), k1kxk1(64, 120, 2, 3, 2, 64), k1kxk1(120, 512, 2, 5, 10, 72), k1kxk1(512, 1632, 2, 5, 10, 112), k1kxk1(1632, 2048, 2, 5, 8, 184)],
  },
  {
    name: 'maedet_l',
    label: 'MAE-DET-L',
    description: 'Published large backbone: 43.9 M params, 152.9 GFLOPs at 1280×800, 47.8 box AP (GFL).',
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
    description: 'TinyNAS classification structure at the ResNet-50 level.',
    structure: [stem(16), k1kxk1(16, 256, 2, 3, 6, 64), k1kxk1(256, 360, 2, 3, 8, 88), k1kxk1(360, 512, 2, 3, 7, 176), k1kxk1(512, 720, 2, 3, 2, 360), k1kxk1(720, 2896, 1, 3, 4, 256)],
  },
  {
    name: 'cls_r152_like',
    label: 'R152-like (classification)',
    description: 'TinyNAS classification structure at the ResNet-152 level.',
    structure: [stem(128), k1kxk1(128, 512, 2, 3, 4, 88), k1kxk1(512, 720, 2, 3, 8, 176), k1kxk1(720, 720, 2, 3, 13, 256), k1kxk1(720, 1024, 2, 3, 10, 360), k1kxk1(1024, 1024, 1, 3, 12, 256)],
  },
];

export function findReferenceNetwork(name: string): ReferenceNetwork | undefined {
  return REFERENCE_NETWORKS.find((n) => n.name === name);
}

export const REFERENCE_NETWORK_NAMES = REFERENCE_NETWORKS.map((n) => n.name);
