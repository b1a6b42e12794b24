import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { log, logSqrt } from '../../app/engine/math';

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
