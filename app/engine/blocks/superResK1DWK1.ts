/**
 * SuperResK1DWK1 — MobileNetV2-like 1×1 → depthwise k×k (stride) → 1×1, L times (space_k1dwk1).
 * Its shortcut rule differs: identity when cin == cout, a projection only if forced (never inside
 * super blocks), otherwise no residual at all (§2.3).
 */
import { convParams, convPhi } from './conv';
import { emitResidualSum, shortcutPaperFlops } from './residual';
import { chainPaperFlops, emitMainPath, makeSuperKind, type Inner, type InnerKind } from './superBlock';
import { logSqrt } from '../math';

const hasShortcut = (i: Inner) => i.cin === i.cout || i.forceProj;
const hasProjection = (i: Inner) => i.cin !== i.cout && i.forceProj;

export const resK1DWK1: InnerKind = {
  name: 'ResK1DWK1',
  layers: 3,
  forceProjFirst: false,
  params(i) {
    let p = 0.0 + (convParams(i.cin, i.btn, 1, i.g) + convParams(i.btn, i.btn, i.k, i.btn) + convParams(i.btn, i.cout, 1, i.g));
    if (hasProjection(i)) p += convParams(i.cin, i.cout, 1, 1);
    return p;
  },
  phi(i) {
    const s2 = i.s * i.s;
    const q = 1.0 / i.s;
    // the reference uses `+=` here, so each group is summed before it is added
    let f = 0.0;
    f += convPhi(i.cin, i.btn, 1, 1, i.g) + convPhi(i.btn, i.btn, i.k, i.s, i.btn) + convPhi(i.btn, i.cout, 1, 1, i.g) * (q * q) + i.btn + i.btn / s2 + i.cout / s2;
    if (hasProjection(i)) f += convPhi(i.cin, i.cout, 1, 1, 1) * (q * q) + i.cout / s2;
    if (hasShortcut(i) && i.s === 2) f += i.cin;
    return f;
  },
  madnasTerm: (i) => logSqrt(i.cin) + logSqrt(i.k * i.k) + logSqrt(i.btn),
  deepmadTerm: (i, { alpha1, alpha2 }) =>
    logSqrt(i.cin ** alpha1) + logSqrt(1 ** (2 * alpha2)) + logSqrt(i.k ** (2 * alpha2)) + logSqrt(i.btn ** alpha1) + logSqrt(1 ** (2 * alpha2)),
  widthTerm: (i) => i.cin * i.k * i.k * i.btn,
  paperFlops(i, input) {
    const main = chainPaperFlops(input, resK1DWK1.mainConvs(i));
    const shortcut = hasShortcut(i) ? shortcutPaperFlops(i, input, hasProjection(i)) : 0;
    return { flops: main.flops + shortcut, output: main.output };
  },
  mainConvs: (i) => [
    { cin: i.cin, cout: i.btn, k: 1, s: 1, p: 0, g: i.g },
    { cin: i.btn, cout: i.btn, k: i.k, s: i.s, p: i.p, g: i.btn },
    { cin: i.btn, cout: i.cout, k: 1, s: 1, p: 0, g: i.g },
  ],
  emit(g, i, act, module, input) {
    const main = emitMainPath(g, resK1DWK1.mainConvs(i), act, module, input);
    return hasShortcut(i) ? emitResidualSum(g, i, act, module, input, main, hasProjection(i)) : g.activation(act, module, main);
  },
  pytorch: `class ResK1DWK1(ResidualBlock):
    """1x1 (in -> btn), depthwise k x k (carries the stride), 1x1 (btn -> out).

    Its shortcut rule is its own: identity when in == out, a projection only when forced (never
    inside a super block), otherwise no shortcut at all.
    """

    def __init__(self, info: dict):
        a = BlockArgs.read(info)
        super().__init__(a)
        self.conv1 = ConvKXBN(a.cin, a.btn, 1, groups=a.groups)
        self.conv2 = ConvKXBN(a.btn, a.btn, a.k, a.stride, a.btn, a.padding)
        self.conv3 = ConvKXBN(a.btn, a.cout, 1, groups=a.groups)
        if a.cin == a.cout or a.force_resproj:
            self.add_shortcut(a, project=a.cin != a.cout)

    def main_path(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        return self.conv3(x)`,
};

export const superResK1DWK1 = makeSuperKind('SuperResK1DWK1', [], resK1DWK1);
