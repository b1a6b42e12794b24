/**
 * SuperInvertedResidual — MobileNetV2's inverted residual, L times: 1×1 (in → btn) + BN + act,
 * depthwise k×k (the stride) + BN + act, 1×1 (btn → out) + BN and no activation (the linear
 * bottleneck). The shortcut is the identity, and only when in == out at stride 1; there is never
 * a projection. NAS-Bench-Macro's blocks are L = 1 with btn = round(in · t), t the expansion.
 * Unlike SuperResK1DWK1 (TinyNAS's K1DWK1, activated after the sum, avg-pooled shortcut at
 * stride 2) it adds nothing after the sum, so its graph and measured entropy differ; its score
 * terms are K1DWK1's, as the main path's convs are the same.
 */
import { convParams, convPhi } from './conv';
import { resK1DWK1 } from './superResK1DWK1';
import { chainPaperFlops, emitMainPath, makeSuperKind, type Inner, type InnerKind } from './superBlock';

const hasShortcut = (i: Inner) => i.cin === i.cout && i.s === 1;

const invertedResidual: InnerKind = {
  name: 'InvertedResidual',
  layers: 3,
  forceProjFirst: false,
  params: (i) => 0.0 + (convParams(i.cin, i.btn, 1, i.g) + convParams(i.btn, i.btn, i.k, i.btn) + convParams(i.btn, i.cout, 1, i.g)),
  // conv MACs + BN ops as convPhi counts them, and the two activations (no third: linear bottleneck)
  phi: (i) => {
    const q = 1.0 / i.s;
    return convPhi(i.cin, i.btn, 1, 1, i.g) + convPhi(i.btn, i.btn, i.k, i.s, i.btn) + convPhi(i.btn, i.cout, 1, 1, i.g) * (q * q) + i.btn + i.btn * (q * q);
  },
  madnasTerm: resK1DWK1.madnasTerm,
  deepmadTerm: resK1DWK1.deepmadTerm,
  widthTerm: resK1DWK1.widthTerm,
  // mmcv counts no additions, and the shortcut has no op of its own
  paperFlops: (i, input) => chainPaperFlops(input, invertedResidual.mainConvs(i)),
  mainConvs: resK1DWK1.mainConvs,
  emit(g, i, act, module, input) {
    const main = emitMainPath(g, invertedResidual.mainConvs(i), act, module, input);
    return hasShortcut(i) ? g.add(module, main, input) : main;
  },
  pytorch: `class InvertedResidual(ResidualBlock):
    """MobileNetV2's block: 1x1 (in -> btn), depthwise k x k (the stride), 1x1 (btn -> out).

    A linear bottleneck: no activation after the last 1x1 nor after the sum. The shortcut is the
    identity, only when in == out at stride 1.
    """

    def __init__(self, info: dict):
        a = BlockArgs.read(info)
        super().__init__(a)
        self.conv1 = ConvKXBN(a.cin, a.btn, 1, groups=a.groups)
        self.conv2 = ConvKXBN(a.btn, a.btn, a.k, a.stride, a.btn, a.padding)
        self.conv3 = ConvKXBN(a.btn, a.cout, 1, groups=a.groups)
        if a.cin == a.cout and a.stride == 1:
            self.add_shortcut(a, project=False)

    def main_path(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        return self.conv3(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.main_path(x)
        return out + x if self.has_shortcut else out`,
};

export const superInvertedResidual = makeSuperKind('SuperInvertedResidual', [], invertedResidual);
