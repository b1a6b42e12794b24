/** SuperResK1KXK1 — the MAE-DET block: 1×1 → k×k (stride) → 1×1 bottleneck, L times (§2.3). */
import { convParams, convPhi } from './conv';
import { emitResidualSum, hasProjection, projectionParams, shortcutPaperFlops, withShortcutPhi } from './residual';
import { chainPaperFlops, emitMainPath, makeSuperKind, type InnerKind } from './superBlock';
import { logSqrt } from '../math';

const resK1KXK1: InnerKind = {
  name: 'ResK1KXK1',
  layers: 3,
  forceProjFirst: true,
  params(i) {
    let p = 0.0 + convParams(i.cin, i.btn, 1, i.g) + convParams(i.btn, i.btn, i.k, i.g) + convParams(i.btn, i.cout, 1, i.g);
    if (hasProjection(i)) p = p + projectionParams(i);
    return p;
  },
  phi(i) {
    const s2 = i.s * i.s;
    const q = 1.0 / i.s;
    const f =
      0.0 +
      convPhi(i.cin, i.btn, 1, 1, i.g) +
      convPhi(i.btn, i.btn, i.k, i.s, i.g) +
      convPhi(i.btn, i.cout, 1, 1, i.g) * (q * q) +
      i.btn +
      i.btn / s2 +
      i.cout / s2;
    return withShortcutPhi(f, i);
  },
  madnasTerm: (i) => logSqrt(i.cin) + logSqrt(i.btn * i.k * i.k) + logSqrt(i.btn),
  deepmadTerm: (i, { alpha1, alpha2 }) =>
    logSqrt(i.cin ** alpha1) +
    logSqrt(1 ** (2 * alpha2)) +
    logSqrt(i.btn ** alpha1) +
    logSqrt(i.k ** (2 * alpha2)) +
    logSqrt(i.btn ** alpha1) +
    logSqrt(1 ** (2 * alpha2)),
  widthTerm: (i) => i.cin * i.btn * i.k * i.k * i.btn,
  paperFlops(i, input) {
    const main = chainPaperFlops(input, resK1KXK1.mainConvs(i));
    return { flops: main.flops + shortcutPaperFlops(i, input), output: main.output };
  },
  mainConvs: (i) => [
    { cin: i.cin, cout: i.btn, k: 1, s: 1, p: 0, g: i.g },
    { cin: i.btn, cout: i.btn, k: i.k, s: i.s, p: i.p, g: i.g },
    { cin: i.btn, cout: i.cout, k: 1, s: 1, p: 0, g: i.g },
  ],
  emit: (g, i, act, module, input) => emitResidualSum(g, i, act, module, input, emitMainPath(g, resK1KXK1.mainConvs(i), act, module, input)),
  pytorch: `class ResK1KXK1(ResidualBlock):
    """1x1 (in -> btn), k x k (btn -> btn, carries the stride), 1x1 (btn -> out)."""

    def __init__(self, info: dict):
        a = BlockArgs.read(info)
        super().__init__(a)
        self.conv1 = ConvKXBN(a.cin, a.btn, 1, groups=a.groups)
        self.conv2 = ConvKXBN(a.btn, a.btn, a.k, a.stride, a.groups, a.padding)
        self.conv3 = ConvKXBN(a.btn, a.cout, 1, groups=a.groups)
        self.add_shortcut(a, project=a.cin != a.cout or a.force_resproj)

    def main_path(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        return self.conv3(x)`,
};

export const superResK1KXK1 = makeSuperKind('SuperResK1KXK1', ['SuperResConvK1KXK1'], resK1KXK1);
