/** What the numbers say, in words computed from them: the view's one-sentence answer. */
import { proxyLabel, type ProxyName } from '../../engine/benchmark/validation';
import { intervalsOf, type ProxyEntry } from '../stores/validationStore';

/** τ and ρ as the table and the CLI print them */
export const fixed3 = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

/** "FLOPs rank", "madnas ranks": the counts read as plurals */
const ranks = (name: ProxyName) => `${proxyLabel(name)} ${name === 'flops' || name === 'params' ? 'rank' : 'ranks'}`;

/**
 * How the studio's score compares with the FLOPs baseline on this benchmark (Kendall τ-b at the
 * table's three decimals), whether their bootstrap intervals tell them apart, and the best proxy
 * when it is neither.
 */
export function verdict(proxies: readonly ProxyEntry[]): string {
  const by = new Map(proxies.map((p) => [p.name, p]));
  const score = by.get('madnas');
  const flops = by.get('flops');
  if (!score || !flops) return '';
  const [a, b] = [score.stats.kendall, flops.stats.kendall];
  if (a === null || b === null) return `Kendall τ is undefined for ${a === null ? 'madnas' : 'FLOPs'} here: its values or the accuracies are all equal.`;
  const [ia, ib] = [intervalsOf(score)?.kendallInterval, intervalsOf(flops)?.kendallInterval];
  const apart = ia && ib ? (ia.high < ib.low || ib.high < ia.low ? '; their 95 % intervals do not overlap' : '; their 95 % intervals overlap, so the gap may be chance') : '';
  let sentence: string;
  if (fixed3(a) === fixed3(b)) sentence = `On this benchmark madnas and FLOPs rank accuracy equally well (Kendall τ ${fixed3(a)}).`;
  else {
    const [better, worse] = a > b ? [score, flops] : [flops, score];
    sentence = `On this benchmark ${ranks(better.name)} accuracy better than ${proxyLabel(worse.name)} (Kendall τ ${fixed3(better.stats.kendall)} vs ${fixed3(worse.stats.kendall)}${apart}).`;
  }
  const best = proxies.reduce((x, y) => ((y.stats.kendall ?? -Infinity) > (x.stats.kendall ?? -Infinity) ? y : x));
  if (best.name !== 'madnas' && best.name !== 'flops' && fixed3(best.stats.kendall) !== fixed3(Math.max(a, b))) {
    sentence += ` The best of the ${proxies.length} proxies here is ${proxyLabel(best.name)} (τ ${fixed3(best.stats.kendall)}).`;
  }
  return sentence;
}
