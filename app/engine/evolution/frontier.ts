/**
 * The cost–score Pareto front: the points no other point beats, i.e. none has a cost as low and a
 * score as high with one of the two strictly better. Read as a staircase, it is the best score
 * reachable within each budget.
 */

/** The front, cheapest first; both cost and score strictly increase along it. Points with a non-finite cost or score are ignored. */
export function paretoFront<T extends { score: number }>(points: readonly T[], costOf: (point: T) => number): T[] {
  const finite = points.filter((p) => Number.isFinite(p.score) && Number.isFinite(costOf(p)));
  // cheapest first, and at equal cost the best first, so one sweep keeps exactly the front
  const sorted = finite.map((point) => ({ point, cost: costOf(point) })).sort((a, b) => a.cost - b.cost || b.point.score - a.point.score);
  const front: T[] = [];
  let bestScore = -Infinity;
  for (const { point } of sorted) {
    if (point.score > bestScore) {
      front.push(point);
      bestScore = point.score;
    }
  }
  return front;
}

/** The best point of a front (as `paretoFront` returns it) whose cost is within `budget`, or null if none is. */
export function bestWithin<T>(front: readonly T[], budget: number, costOf: (point: T) => number): T | null {
  // the front's scores rise with its costs, so the answer is the last point within the budget
  let lo = 0;
  let hi = front.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (costOf(front[mid]) <= budget) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : front[lo - 1];
}

/** `rungs` budgets from `lowest` to `highest`, evenly spaced on a log scale; the first is exactly `lowest`, the last exactly `highest`. */
export function budgetLadder(lowest: number, highest: number, rungs: number): number[] {
  if (!(lowest > 0 && highest >= lowest && Number.isFinite(highest))) throw new RangeError(`a budget ladder needs 0 < lowest ≤ highest; found ${lowest} and ${highest}`);
  if (!(Number.isInteger(rungs) && rungs >= 2)) throw new RangeError(`a budget ladder needs at least 2 rungs; found ${rungs}`);
  return Array.from({ length: rungs }, (_, i) => (i === 0 ? lowest : i === rungs - 1 ? highest : lowest * (highest / lowest) ** (i / (rungs - 1))));
}
