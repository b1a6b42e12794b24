/**
 * Identity — NAS-Bench-Macro's `id` layer choice: nothing when the shape is kept (in == out,
 * stride 1); otherwise a k×k conv (the benchmark's is 1×1) with the block's stride, then BN, no
 * activation. A kept-shape identity has no conv, no layer and no score term: it leaves the
 * network exactly as if the layer were absent.
 */
import type { Block, Shape2d } from '../block';
import { convParams, convPhi, defaultPadding, paperConvBn, strideOutputSide } from './conv';
import type { BlockKind, ConvSpec } from './kind';
import { logSqrt } from '../math';

/** the downsampling conv, when the shape changes */
function downsample(b: Block): ConvSpec | undefined {
  return b.in === b.out && b.s === 1 ? undefined : { cin: b.in, cout: b.out, k: b.k, s: b.s, p: b.p ?? defaultPadding(b.k), g: 1 };
}

/** one value when the block has its conv, none otherwise */
const ifConv = <T>(b: Block, value: (c: ConvSpec) => T): T[] => {
  const c = downsample(b);
  return c ? [value(c)] : [];
};

export const identity: BlockKind = {
  className: 'Identity',
  aliases: [],
  isSuper: false,
  innerClass: undefined,
  layersPerInner: 1,
  params: (b) => (downsample(b) ? convParams(b.in, b.out, b.k, 1) : 0),
  flopsCoefficient: (b) => (downsample(b) ? convPhi(b.in, b.out, b.k, b.s, 1) : 0),
  layers: (b) => (downsample(b) ? 1 : 0),
  outputSide: strideOutputSide,
  blockNum: (b) => (downsample(b) ? 1 : 0),
  madnasTerms: (b) => ifConv(b, () => logSqrt(b.in * b.k * b.k)),
  deepmadTerms: (b, { alpha1, alpha2 }) => ifConv(b, () => logSqrt(b.in ** alpha1 * b.k ** (2 * alpha2))),
  widthTerms: (b) => ifConv(b, () => b.in * b.k * b.k),
  paperFlops: (b, input: Shape2d) => {
    const c = downsample(b);
    return c ? paperConvBn(c.cin, c.cout, c.k, c.s, c.p, 1, input) : { flops: 0, output: input };
  },
  mainConvs: (b) => ifConv(b, (c) => [c]),
  // the conv and BN sit at the block's path (`conv1`, `bn1`), as in a ConvKXBN
  emitDeploy: (g, b, module, input) => {
    const c = downsample(b);
    return c ? g.convBn(module, c, input) : input;
  },
  pytorch: { bases: [], source: `class Identity(nn.Module):
    """NAS-Bench-Macro's identity choice: x itself when the shape is kept, else conv + BN.

    The conv (the benchmark's 1x1) carries the stride and the channel change; no activation.
    """

    def __init__(self, info: dict):
        super().__init__()
        a = BlockArgs.read(info)
        self.project = a.cin != a.cout or a.stride != 1
        if self.project:
            self.conv1 = nn.Conv2d(a.cin, a.cout, a.k, a.stride, a.padding, bias=False)
            self.bn1 = nn.BatchNorm2d(a.cout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn1(self.conv1(x)) if self.project else x` },
};
