/**
 * Python 3 arithmetic that the reference relies on. JS `Math.round` rounds .5 up; Python rounds
 * half to even, and that changes real mutation results (smartRound(1.25 * 16) is 16, not 24).
 */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** TinyNAS `smart_round(x, base=8)`: the nearest multiple of 8 (half to even), at least 8. */
export function smartRound(x: number): number {
  return Math.max(8, pyRound(x / 8.0) * 8);
}

/** Python `a // b` for numbers (floor division). */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}
