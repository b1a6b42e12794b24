/** ConvKXBNRELU — conv + BN + activation; the stem of every backbone here (§2.2). */
import { convParams, convPhi, defaultPadding, paperConvBn, strideOutputSide } from './conv';
import type { BlockKind } from './kind';
import { logSqrt } from '../math';

export const convKXBNRELU: BlockKind = {
  className: 'ConvKXBNRELU',
  aliases: [],
  isSuper: false,
  innerClass: undefined,
  layersPerInner: 1,
  params: (b) => convParams(b.in, b.out, b.k, b.g ?? 1),
  flopsCoefficient: (b) => 0.0 + convPhi(b.in, b.out, b.k, b.s, b.g ?? 1) + b.out / (b.s * b.s),
  layers: () => 1,
  outputSide: strideOutputSide,
  blockNum: () => 1,
  // groups are ignored by the reference's score
  madnasTerms: (b) => [logSqrt(b.in * b.k * b.k)],
  deepmadTerms: (b, { alpha1, alpha2 }) => [logSqrt(b.in ** alpha1 * b.k ** (2 * alpha2))],
  widthTerms: (b) => [b.in * b.k * b.k],
  paperFlops: (b, input) => paperConvBn(b.in, b.out, b.k, b.s, b.p ?? defaultPadding(b.k), b.g ?? 1, input),
  mainConvs: (b) => [[{ cin: b.in, cout: b.out, k: b.k, s: b.s, p: b.p ?? defaultPadding(b.k), g: b.g ?? 1 }]],
  // the reference's ConvKXBNRELU is a ConvKXBN subclass: its conv1/bn1 sit at the block's path
  emitDeploy: (g, b, module, input) => g.activation(b.act, module, g.convBn(module, convKXBNRELU.mainConvs(b)[0][0], input)),
  pytorch: { bases: [], source: `class ConvKXBNRELU(ConvKXBN):
    """ConvKXBN followed by the activation (the stem)."""

    def __init__(self, info: dict):
        a = BlockArgs.read(info)
        super().__init__(a.cin, a.cout, a.k, a.stride, a.groups, a.padding)
        self.act = a.act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))` },
};
