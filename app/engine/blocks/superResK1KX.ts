/** SuperResK1KX — 1×1 → k×k (stride) residual pairs, L times (space_k1kx; §2.3). */
import { convParams, convPhi } from './conv';
import { emitResidualSum, hasProjection, projectionParams, shortcutPaperFlops, withShortcutPhi } from './residual';
import { chainPaperFlops, emitMainPath, makeSuperKind, type InnerKind } from './superBlock';
import { logSqrt } from '../math';

const resK1KX: InnerKind = {
  name: 'ResK1KX',
  layers: 2,
  forceProjFirst: false,
  params(i) {
    let p = 0.0 + convParams(i.cin, i.btn, 1, i.g) + convParams(i.btn, i.cout, i.k, i.g);
    if (hasProjection(i)) p = p + projectionParams(i);
    return p;
  },
  phi(i) {
    const f = 0.0 + convPhi(i.cin, i.btn, 1, 1, i.g) + convPhi(i.btn, i.cout, i.k, i.s, i.g) + i.btn + i.cout / (i.s * i.s);
    return withShortcutPhi(f, i);
  },
  madnasTerm: (i) => logSqrt(i.cin) + logSqrt(i.btn * i.k * i.k),
  deepmadTerm: undefined,
  widthTerm: undefined,
  paperFlops(i, input) {
    const main = chainPaperFlops(input, resK1KX.mainConvs(i));
    return { flops: main.flops + shortcutPaperFlops(i, input), output: main.output };
  },
  mainConvs: (i) => [
    { cin: i.cin, cout: i.btn, k: 1, s: 1, p: 0, g: i.g },
    { cin: i.btn, cout: i.cout, k: i.k, s: i.s, p: i.p, g: i.g },
  ],
  emit: (g, i, act, module, input) => emitResidualSum(g, i, act, module, input, emitMainPath(g, resK1KX.mainConvs(i), act, module, input)),
  pytorch: `class ResK1KX(ResidualBlock):
    """1x1 (in -> btn), k x k (btn -> out, carries the stride)."""

    def __init__(self, info: dict):
        a = BlockArgs.read(info)
        super().__init__(a)
        self.conv1 = ConvKXBN(a.cin, a.btn, 1, groups=a.groups)
        self.conv2 = ConvKXBN(a.btn, a.cout, a.k, a.stride, a.groups, a.padding)
        self.add_shortcut(a, project=a.cin != a.cout or a.force_resproj)

    def main_path(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv2(self.act(self.conv1(x)))`,
};

export const superResK1KX = makeSuperKind('SuperResK1KX', [], resK1KX);
