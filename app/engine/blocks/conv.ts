/**
 * The ConvKXBN primitive (conv + BN, no activation) that every block is made of, with the
 * reference's exact evaluation order so float results agree to the last bit.
 */
import type { Shape2d } from '../block';

/** conv weight + BN γ and β (float division by groups, as the reference does) */
export function convParams(cin: number, cout: number, k: number, g: number): number {
  return (cin * cout * k * k) / g + 2 * cout;
}

/** φ of a conv+BN: `((cin·cout·k²)/s²)/g + (2·cout)/s²` */
export function convPhi(cin: number, cout: number, k: number, s: number, g: number): number {
  return (cin * cout * k * k) / (s * s) / g + (2 * cout) / (s * s);
}

/** output side of a real convolution */
export function convOutputSide(side: number, k: number, s: number, p: number): number {
  return Math.floor((side + 2 * p - k) / s) + 1;
}

/**
 * mmcv's complexity counter for conv + BN: multiply-accumulates (k²·cin·(cout//g) per output
 * pixel) plus 2 BN ops per output element. ReLU is a functional call there and is not counted.
 */
export function paperConvBn(cin: number, cout: number, k: number, s: number, p: number, g: number, input: Shape2d): { flops: number; output: Shape2d } {
  const output = { h: convOutputSide(input.h, k, s, p), w: convOutputSide(input.w, k, s, p) };
  const pixels = output.h * output.w;
  return { flops: k * k * cin * Math.floor(cout / g) * pixels + 2 * cout * pixels, output };
}

/** mmcv counts an AvgPool as one op per input element */
export function paperAvgPool(channels: number, input: Shape2d): { flops: number; output: Shape2d } {
  return { flops: channels * input.h * input.w, output: { h: Math.floor(input.h / 2), w: Math.floor(input.w / 2) } };
}

/** `R // s`: the side every resolution helper of the reference uses (the real conv agrees for even R) */
export function strideOutputSide(b: { s: number }, side: number): number {
  return Math.floor(side / b.s);
}

export function defaultPadding(k: number): number {
  return Math.floor((k - 1) / 2);
}
