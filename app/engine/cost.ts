/**
 * Network-level measures of a structure (§2.6, §3.1): params, layers, FLOPs at a resolution, stage
 * information, and FLOPs in the paper's reporting convention.
 */
import type { Block, Shape2d, Structure } from './block';
import { blockKind } from './blocks/registry';

function blockParams(b: Block): number {
  return blockKind(b.class).params(b);
}

/** FLOPs of one block for a square input of side `resolution` */
function blockFlopsAt(b: Block, resolution: number): number {
  return blockKind(b.class).flopsCoefficient(b) * (resolution * resolution);
}

function blockLayers(b: Block): number {
  return blockKind(b.class).layers(b);
}

/** `model_size`: trainable parameters (conv weights + BN γ, β), no classifier head. */
export function params(structure: Structure): number {
  let total = 0.0;
  for (const b of structure) total = total + blockParams(b);
  return total;
}

/** Conv layers (a K1KXK1 network has 1 + 3ΣL). */
export function layers(structure: Structure): number {
  let total = 0;
  for (const b of structure) total += blockLayers(b);
  return total;
}

/**
 * The search's FLOPs at a square input of side R (§2.6): the side is divided by each stride in
 * float, so non-power-of-two sizes give fractional sides exactly as the reference does.
 */
export function flopsAt(structure: Structure, resolution: number): number {
  let r = resolution;
  let total = 0.0;
  for (const b of structure) {
    total = total + blockFlopsAt(b, r);
    r = r / b.s;
  }
  return total;
}

/** Per-block params and FLOPs at R, for tables and the architecture view. */
export function perBlockCosts(structure: Structure, resolution: number): { params: number; flops: number; layers: number }[] {
  let r = resolution;
  return structure.map((b) => {
    const row = { params: blockParams(b), flops: blockFlopsAt(b, r), layers: blockLayers(b) };
    r = r / b.s;
    return row;
  });
}

/**
 * FLOPs as the papers report them (configs/detection/README): backbone only, a W×H input, mmcv's
 * counter (conv MACs + 2 per BN output element + 1 per avg-pool input element; ReLU and residual
 * adds not counted). MAE-DET-S at 1280×800 is 48.7 G.
 */
/** the input of the papers' FLOPs table: 1280×800 */
export const PAPER_INPUT = { width: 1280, height: 800 } as const;

/** the papers' FLOPs of a structure at their table's input, PAPER_INPUT */
export const paperTableFlops = (structure: Structure) => paperFlops(structure, PAPER_INPUT.width, PAPER_INPUT.height);

export function paperFlops(structure: Structure, width: number, height: number): number {
  let shape: Shape2d = { h: height, w: width };
  let total = 0;
  for (const b of structure) {
    const r = blockKind(b.class).paperFlops(b, shape);
    total += r.flops;
    shape = r.output;
  }
  return total;
}

export interface StageInfo {
  /** index of the last block of each stage */
  idx: number[];
  /** cumulative entries of the per-block score list up to the end of each stage */
  blockNum: number[];
  /** cumulative conv layers up to the end of each stage */
  layerNum: number[];
  /** output channels of each stage */
  channels: number[];
  /** output side of each stage */
  featureMapSize: number[];
}

/**
 * `get_stage_info` (§3.1): a stride-2 block after index 0 closes the previous stage; the last block
 * closes the last stage. Sides use integer `R // s`.
 */
export function stageInfo(structure: Structure, resolution = 224): StageInfo {
  const info: StageInfo = { idx: [], blockNum: [], layerNum: [], channels: [], featureMapSize: [] };
  const push = (idx: number, nb: number, nl: number, ch: number, fm: number) => {
    info.idx.push(idx);
    info.blockNum.push(nb);
    info.layerNum.push(nl);
    info.channels.push(ch);
    info.featureMapSize.push(fm);
  };
  let ch = 0;
  let nb = 0;
  let nl = 0;
  let fm = Math.floor(resolution);
  structure.forEach((b, idx) => {
    if (b.s === 2 && idx > 0) push(idx - 1, nb, nl, ch, fm);
    const kind = blockKind(b.class);
    nb += kind.blockNum(b);
    ch = b.out;
    nl += kind.layers(b);
    fm = kind.outputSide(b, fm);
    if (idx === structure.length - 1) push(idx, nb, nl, ch, fm);
  });
  return info;
}

/** Number of stages the score sees: stride-2 blocks after index 0, plus one. */
export function stageCount(structure: Structure): number {
  let n = 1;
  for (let i = 1; i < structure.length; i++) if (structure[i].s === 2) n++;
  return n;
}

/** input side ÷ output side of block `last`: the product of the strides of blocks 0..last */
export function strideThrough(structure: Structure, last: number): number {
  let stride = 1;
  for (let i = 0; i <= last; i++) stride *= structure[i].s;
  return stride;
}
