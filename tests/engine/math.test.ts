import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exp, log, logSqrt } from '../../app/engine/math';

/** distance in units in the last place between two positive finite doubles */
function ulps(a: number, b: number): number {
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8));
}

describe('engine-independent log', () => {
  it('special values', () => {
    expect(log(1)).toBe(0);
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(Math.E)).toBeCloseTo(1, 15);
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 12);
  });

  it('is within 1 ulp of the platform log for any positive double', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), (x) => {
        const expected = Math.log(x);
        const got = log(x);
        if (expected === 0) return got === 0 || Math.abs(got) < 1e-300;
        return Math.abs(ulps(Math.abs(got), Math.abs(expected))) <= 1 && Math.sign(got) === Math.sign(expected);
      }),
      { numRuns: 20000 },
    );
  });

  it('logSqrt of integers (cached) equals log(sqrt(n)) computed afresh', () => {
    for (let n = 0; n < 3000; n += 7) expect(logSqrt(n)).toBe(log(Math.sqrt(n)));
    expect(logSqrt(1e7)).toBe(log(Math.sqrt(1e7)));
    expect(logSqrt(2.5)).toBe(log(Math.sqrt(2.5)));
  });
});

describe('engine-independent exp', () => {
  it('special values', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(NaN)).toBeNaN();
    // fdlibm's e is 1 ulp above the correctly rounded Math.E
    expect(ulps(exp(1), Math.E)).toBe(1);
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308);
    expect(exp(709.79)).toBe(Infinity);
    expect(exp(-745.1332191019411)).toBe(5e-324);
    expect(exp(-745.2)).toBe(0);
    expect(exp(1e-300)).toBe(1);
    expect(exp(-1e-20)).toBe(1);
  });

  /** e^x is within 1 ulp of the platform's (0 and ∞ included: their bits are 1 ulp from their neighbours) */
  const withinUlp = (x: number) => Math.abs(ulps(exp(x), Math.exp(x))) <= 1;

  it('is within 1 ulp of the platform exp over the whole finite range', () => {
    fc.assert(fc.property(fc.double({ min: -746, max: 710, noNaN: true }), withinUlp), { numRuns: 50000 });
  });

  it('is within 1 ulp of the platform exp where the algorithm switches branch', () => {
    // |x| around ln2/2 and 1.5·ln2 (reduction), 2^-28 (no reduction), and the subnormal range
    fc.assert(fc.property(fc.double({ min: -1.2, max: 1.2, noNaN: true }), withinUlp), { numRuns: 50000 });
    fc.assert(fc.property(fc.double({ min: -1e-7, max: 1e-7, noNaN: true }), withinUlp), { numRuns: 20000 });
    fc.assert(fc.property(fc.double({ min: -745.2, max: -700, noNaN: true }), withinUlp), { numRuns: 20000 });
    // the Gaussian's e^(−x²/2) for |x| up to 10, as the normal sampler uses it
    for (let i = 0; i <= 200000; i++) {
      const x = (i / 200000) * 10;
      if (!withinUlp(-0.5 * x * x)) throw new Error(`exp(${-0.5 * x * x}) = ${exp(-0.5 * x * x)}, Math.exp gives ${Math.exp(-0.5 * x * x)}`);
    }
  });
});
