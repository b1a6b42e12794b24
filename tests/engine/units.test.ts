import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatWithUnit, parseWithUnit } from '../../app/engine/units';

describe('numbers with units', () => {
  it.each([
    ['18.8 G', 18.8e9],
    ['18.8G', 18.8e9],
    ['25.55 M', 25.55e6],
    ['188e8', 188e8],
    ['4,100,000,000', 4.1e9],
    ['91', 91],
    [' 5 GFLOPs ', 5e9],
    ['4.1 G', 4100000000],
    ['1.5e3 M', 1.5e9],
  ])('%s', (text, value) => expect(parseWithUnit(text)).toBe(value));
  it.each(['', 'abc', '18.8 X', '1e999', '-5 G', '5 G G'])('rejects %j', (text) => expect(parseWithUnit(text)).toBeNull());
  it('format and parse back', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e13 }), (n) => Math.abs(parseWithUnit(formatWithUnit(n))! - n) <= n * 1e-5));
  });
});
