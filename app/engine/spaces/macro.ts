/**
 * The NAS-Bench-Macro space: a stem, 8 layers of 3 choices each (identity, inverted residual
 * k3 t3, k5 t6) with fixed widths and strides, and the 1×1 head — 6,561 networks, every one
 * trained (benchmark/nasBenchMacro.ts). A mutation redraws one layer's choice; the stem and the
 * head never change. Searching it lets a search's pick be looked up in the benchmark.
 */
import { macroCode, macroLayer, MACRO_CHOICES } from '../benchmark/nasBenchMacro';
import { drawDifferent } from './mutators';
import type { SearchSpace } from './space';

const DIGITS = MACRO_CHOICES.map((_, d) => d);

export const macroSpace: SearchSpace = {
  name: 'macro',
  blockClasses: ['Identity', 'SuperInvertedResidual'],
  fitsKernels: false,
  description: 'NAS-Bench-Macro (CIFAR-10, 32×32): 8 layers, each identity, MBv2 3×3 t3 or MBv2 5×5 t6; every network trained',
  mutateBlock(index, list, ctx) {
    const code = macroCode(list);
    // the stem, the head, and any network not of the space (the seed is checked to be of it) stay
    if (code === undefined || index === 0 || index === list.length - 1) return list[index];
    const layer = index - 1;
    return macroLayer(layer, drawDifferent(Number(code[layer]), DIGITS, ctx.rng), list[index].in);
  },
};
