/** SuperResKXKX — k×k → k×k (stride) residual pairs, L times (space_kxkx; §2.3). */
import { convParams, convPhi } from './conv';
import { emitResidualSum, hasProjection, projectionParams, shortcutPaperFlops, withShortcutPhi } from './residual';
import { chainPaperFlops, emitMainPath, makeSuperKind, type InnerKind } from './superBlock';
import { logSqrt } from '../math';

const resKXKX: InnerKind = {
  name: 'ResKXKX',
  layers: 2,
  forceProjFirst: false,
  params(i) {
    let p = 0.0 + convParams(i.cin, i.btn, i.k, i.g) + convParams(i.btn, i.cout, i.k, i.g);
    if (hasProjection(i)) p = p + projectionParams(i);
    return p;
  },
  phi(i) {
    const f = 0.0 + convPhi(i.cin, i.btn, i.k, 1, i.g) + convPhi(i.btn, i.cout, i.k, i.s, i.g) + i.btn + i.cout / (i.s * i.s);
    return withShortcutPhi(f, i);
  },
  madnasTerm: (i) => logSqrt(i.cin * i.k * i.k) + logSqrt(i.btn * i.k * i.k),
  deepmadTerm: undefined,
  widthTerm: undefined,
  paperFlops(i, input) {
    const main = chainPaperFlops(input, resKXKX.mainConvs(i));
    return { flops: main.flops + shortcutPaperFlops(i, input), output: main.output };
  },
  mainConvs: (i) => [
    { cin: i.cin, cout: i.btn, k: i.k, s: 1, p: i.p, g: i.g },
    { cin: i.btn, cout: i.cout, k: i.k, s: i.s, p: i.p, g: i.g },
  ],
  emit: (g, i, act, module, input) => emitResidualSum(g, i, act, module, input, emitMainPath(g, resKXKX.mainConvs(i), act, module, input)),
  pytorch: `class ResKXKX(ResidualBlock):
    """k x k (in -> btn), k x k (btn -> out, carries the stride)."""

    def __init__(self, info: dict):
        a = BlockArgs.read(info)
        super().__init__(a)
        self.conv1 = ConvKXBN(a.cin, a.btn, a.k, 1, a.groups, a.padding)
        self.conv2 = ConvKXBN(a.btn, a.cout, a.k, a.stride, a.groups, a.padding)
        self.add_shortcut(a, project=a.cin != a.cout or a.force_resproj)

    def main_path(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv2(self.act(self.conv1(x)))`,
};

export const superResKXKX = makeSuperKind('SuperResKXKX', [], resKXKX);
