/**
 * What a running search reports to a UI: counts, rate, the population (best first, ≤ popu size)
 * as columns when it changed since the previous report, and the history points added since
 * then. Late in a search most reports carry no population, and one that does is a single
 * transferable buffer, which keeps the page's work per report small and independent of the
 * population's size.
 */
import { encodeMembers, type MemberColumns } from './codec';
import type { Population } from './population';
import type { HistoryPoint } from './search';

/** What progress is read from: a single `Search` or an island coordinator. */
export interface ProgressSource {
  readonly evaluated: number;
  readonly total: number;
  readonly population: Population;
  readonly history: readonly HistoryPoint[];
}

export interface RunProgress {
  evaluated: number;
  total: number;
  seconds: number;
  childrenPerSecond: number;
  /** ranked, best first; null when unchanged since the previous report */
  population: MemberColumns | null;
  /** history points after the first `historyFrom` ones */
  newHistory: HistoryPoint[];
  historyFrom: number;
  /** a measured-entropy search: children measured so far and the runtime measuring them */
  scoring?: { scored: number; provider: string };
}

/**
 * Build a report; `sent` says what earlier reports carried: the number of history points and the
 * population version (−1 for none). With `withPopulation` false the population is left out even
 * if it changed (it is the costly part to send and to draw), to go with a later report.
 */
export function progressOf(search: ProgressSource, seconds: number, sent: { history: number; populationVersion: number }, withPopulation = true): RunProgress {
  const historySent = sent.history;
  return {
    evaluated: search.evaluated,
    total: search.total,
    seconds,
    childrenPerSecond: seconds > 0 ? search.evaluated / seconds : 0,
    population: !withPopulation || search.population.version === sent.populationVersion ? null : encodeMembers(search.population.ranking()),
    newHistory: search.history.slice(historySent),
    historyFrom: historySent,
  };
}
