// The cost–score Pareto front and the budget ladder (engine/evolution/frontier): properties over
// random point sets, and the ladder's ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestWithin, budgetLadder, paretoFront } from '../../app/engine/evolution/frontier';

interface Point {
  cost: number;
  score: number;
  id: number;
}

const costOf = (p: Point) => p.cost;
/** small integer ranges, so ties in cost and in score are common */
const points = fc.array(fc.record({ cost: fc.integer({ min: 0, max: 30 }), score: fc.integer({ min: -20, max: 20 }) }), { maxLength: 60 }).map((ps) => ps.map((p, id) => ({ ...p, id })));
const dominates = (q: Point, p: Point) => q.cost <= p.cost && q.score >= p.score && (q.cost < p.cost || q.score > p.score);

describe('paretoFront', () => {
  it('is cheapest first with cost and score both strictly increasing', () => {
    fc.assert(
      fc.property(points, (ps) => {
        const front = paretoFront(ps, costOf);
        for (let i = 1; i < front.length; i++) {
          expect(front[i].cost).toBeGreaterThan(front[i - 1].cost);
          expect(front[i].score).toBeGreaterThan(front[i - 1].score);
        }
      }),
    );
  });

  it('holds input points only, none of them dominated by any input point', () => {
    fc.assert(
      fc.property(points, (ps) => {
        for (const f of paretoFront(ps, costOf)) {
          expect(ps).toContain(f);
          expect(ps.some((p) => dominates(p, f))).toBe(false);
        }
      }),
    );
  });

  it('covers every input point: some front point costs no more and scores no less', () => {
    fc.assert(
      fc.property(points, (ps) => {
        const front = paretoFront(ps, costOf);
        for (const p of ps) expect(front.some((f) => f.cost <= p.cost && f.score >= p.score)).toBe(true);
        expect(front.length === 0).toBe(ps.length === 0);
      }),
    );
  });

  it('is idempotent and ignores the order of the input', () => {
    const withShuffled = points.chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length })));
    fc.assert(
      fc.property(withShuffled, ([ps, shuffled]) => {
        const front = paretoFront(ps, costOf);
        expect(paretoFront(front, costOf)).toEqual(front);
        expect(paretoFront(shuffled, costOf).map((p) => [p.cost, p.score])).toEqual(front.map((p) => [p.cost, p.score]));
      }),
    );
  });

  it('ignores points with a non-finite cost or score', () => {
    const front = paretoFront(
      [
        { cost: 1, score: 1, id: 0 },
        { cost: NaN, score: 5, id: 1 },
        { cost: 2, score: Infinity, id: 2 },
        { cost: 3, score: 2, id: 3 },
      ],
      costOf,
    );
    expect(front.map((p) => p.id)).toEqual([0, 3]);
  });
});

describe('bestWithin', () => {
  it('is the best score among the input points within the budget, or null when none is', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: -5, max: 35 }), (ps, budget) => {
        const best = bestWithin(paretoFront(ps, costOf), budget, costOf);
        const within = ps.filter((p) => p.cost <= budget);
        if (within.length === 0) expect(best).toBeNull();
        else {
          expect(best!.cost).toBeLessThanOrEqual(budget);
          expect(best!.score).toBe(Math.max(...within.map((p) => p.score)));
        }
      }),
    );
  });

  it('never falls as the budget grows', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (ps, a, b) => {
        const front = paretoFront(ps, costOf);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = bestWithin(front, lo, costOf);
        if (low) expect(bestWithin(front, hi, costOf)!.score).toBeGreaterThanOrEqual(low.score);
      }),
    );
  });
});

describe('budgetLadder', () => {
  it('runs from the lowest to the highest budget exactly, rising by a constant factor', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e6, max: 1e11, noNaN: true }), fc.double({ min: 1, max: 20, noNaN: true }), fc.integer({ min: 2, max: 30 }), (lowest, factor, rungs) => {
        const highest = lowest * factor;
        const ladder = budgetLadder(lowest, highest, rungs);
        expect(ladder).toHaveLength(rungs);
        expect(ladder[0]).toBe(lowest);
        expect(ladder[rungs - 1]).toBe(highest);
        for (let i = 1; i < rungs; i++) {
          expect(ladder[i]).toBeGreaterThanOrEqual(ladder[i - 1]);
          expect(ladder[i] / ladder[i - 1]).toBeCloseTo(factor ** (1 / (rungs - 1)), 6);
        }
      }),
    );
  });

  it('says what is wrong with a bad range or rung count', () => {
    expect(() => budgetLadder(0, 10, 3)).toThrow(/0 < lowest ≤ highest/);
    expect(() => budgetLadder(10, 5, 3)).toThrow(/0 < lowest ≤ highest/);
    expect(() => budgetLadder(1, 10, 1)).toThrow(/at least 2 rungs; found 1/);
  });
});
