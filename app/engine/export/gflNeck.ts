/**
 * The neck MAE-DET's detectors put on the backbone (TinyNAS configs/detection/models/gfocal_maedet/
 * maedet_{s,m,l}_6x_lr0.02.py): mmdetection's `FPN(in_channels=[C2…C5 widths], start_level=1,
 * add_extra_convs='on_output', num_outs=5)`, out_channels 192 (S) or 256 (M, L). It reads C3–C5
 * only (C2 is listed in in_channels but skipped by start_level=1), and makes P6 and P7 with 3×3
 * stride-2 convs on P5's output and then P6's.
 */
import type { FeatureInfo } from './sidecar';

export const GFL_FPN = { startLevel: 1, numOuts: 5, outChannels: { maedet_s: 192, maedet_m: 256, maedet_l: 256 } } as const;

/** One output level of the neck. */
export interface PyramidLevel {
  /** P3 … P7 */
  name: string;
  /** what it is made from: a backbone output (lateral 1×1 conv plus the top-down path) or the level below */
  from: string;
  stride: number;
  height: number;
  width: number;
}

/** a 3×3 conv with stride 2 and padding 1: ⌊(n + 2 − 3) / 2⌋ + 1 = ⌈n / 2⌉ */
const extraConvSide = (side: number) => Math.ceil(side / 2);

/**
 * The levels of MAE-DET's FPN for the backbone's C2–C5 at an input of height × width (multiples
 * of the backbone's total stride): P3–P5 from C3–C5, then P6 and P7 on P5's output.
 */
export function gflPyramid(features: readonly FeatureInfo[], height: number, width: number): PyramidLevel[] {
  const levels: PyramidLevel[] = features.slice(GFL_FPN.startLevel).map((f) => ({
    name: `P${f.name.slice(1)}`,
    from: f.name,
    stride: f.reduction,
    height: height / f.reduction,
    width: width / f.reduction,
  }));
  while (levels.length < GFL_FPN.numOuts) {
    const below = levels[levels.length - 1];
    levels.push({ name: `P${Number(below.name.slice(1)) + 1}`, from: below.name, stride: below.stride * 2, height: extraConvSide(below.height), width: extraConvSide(below.width) });
  }
  return levels;
}
