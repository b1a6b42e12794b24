/**
 * Step 8: does it work? On NAS-Bench-Macro's trained CIFAR-10 networks: how well madnas ranks them
 * next to the two baselines that cost nothing (FLOPs, params), the regret of each one's pick
 * within a ladder of FLOPs budgets, the studio's search within one budget, and the caveats. The
 * numbers come from the lesson worker, and every comparison the text makes is read from them, so
 * the text follows the data and the engine.
 */
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { MACRO_CHOICES, MACRO_IMAGE_SIZE, MACRO_SOURCE, MACRO_STAGE_WEIGHTS } from '../../../engine/benchmark/nasBenchMacro';
import { presetConfig } from '../../../engine/config';
import { quantile } from '../../../engine/stats';
import type { MacroCheckResult, MacroProxy, MacroRanking, MacroRung, MacroSearchResult } from '../../../../workers/lessonApi';
import { ChartKeys, CurrentPointRing, type ChartPoint, type ChartSeries } from '../../components/ChartKeys';
import { axisTicks, scoreTick, stableDomain } from '../../components/charts';
import { GridLines } from '../../components/GridLines';
import { plainTick, useFittedXTicks, type FittedAxis } from '../../components/PlainTick';
import { formatCount, formatMega } from '../../format';
import { TaskProgress, useLessonTask } from './useLessonTask';
import './lessonSteps.css';
import './doesItWork.css';

/** the benchmark's layers, each one of MACRO_CHOICES (tests/engine/lesson.test.ts checks both against the engine) */
const LAYERS = 8;
/** the detection set-up the caveats set against the benchmark */
const DETECTION = presetConfig('detection-r50');
/** training runs per network in the file */
const RUNS = 3;
const MARGIN = { top: 10, right: 24, bottom: 20, left: 10 };
const Y_AXIS_WIDTH = 60;
/**
 * the accuracy axis starts at the 1st percentile: a few dozen networks of mostly identity layers
 * reach far lower, and a full axis would squeeze the rest into a strip; those sit on its bottom edge
 */
const ACCURACY_FLOOR_QUANTILE = 0.01;
const NO_POINTS: never[] = [];

const tau = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));
/** regrets as the table shows them, and compared at that precision, so the text never calls a tie a win */
const points = (v: number) => v.toFixed(2);
const budgetText = (budget: number) => `${formatMega(budget, 1)}FLOPs`;
const rankingOf = (result: MacroCheckResult, proxy: MacroProxy) => result.rankings.find((r) => r.proxy === proxy)!;
const regretOf = (rung: MacroRung, proxy: MacroProxy) => rung.picks.find((p) => p.proxy === proxy)!.regret;
/** the first budget that admits at least half the networks: the search's default */
const middleRung = (result: MacroCheckResult) => result.ladder.findIndex((r) => 2 * r.networks >= result.ids.length);

/** which of madnas and FLOPs orders all the networks better, by τ-b at the table's precision */
function overallComparison(result: MacroCheckResult): { better: MacroRanking | null; sentence: string } {
  const [madnas, flops] = [rankingOf(result, 'madnas'), rankingOf(result, 'flops')];
  const numbers = (a: MacroRanking, b: MacroRanking) => `τ-b ${tau(a.kendall)} against ${tau(b.kendall)} for ${b.label}, Spearman ρ ${tau(a.spearman)} against ${tau(b.spearman)}`;
  if (tau(madnas.kendall) === tau(flops.kendall)) return { better: null, sentence: `madnas and FLOPs order them equally well (${numbers(madnas, flops)})` };
  const [better, worse] = (madnas.kendall ?? -Infinity) > (flops.kendall ?? -Infinity) ? [madnas, flops] : [flops, madnas];
  return { better, sentence: `the better order is that of ${better.label} (${numbers(better, worse)})` };
}

/** on how many budgets madnas's pick comes closer to the best network than FLOPs's, and the reverse */
function budgetComparison(result: MacroCheckResult) {
  let madnas = 0;
  let flops = 0;
  for (const rung of result.ladder) {
    const [m, f] = [points(regretOf(rung, 'madnas')), points(regretOf(rung, 'flops'))];
    if (m === f) continue;
    if (Number(m) < Number(f)) madnas++;
    else flops++;
  }
  return { madnas, flops, ties: result.ladder.length - madnas - flops };
}

const meanRegret = (result: MacroCheckResult, proxy: MacroProxy) => result.ladder.reduce((sum, rung) => sum + regretOf(rung, proxy), 0) / result.ladder.length;

/** the networks as dots on the chart's scales, the ones below the axis on its bottom edge */
function Dots({ result, floor }: { result: MacroCheckResult; floor: number }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const position = useCallback((p: ChartPoint) => (x && y ? ([x(p.x) ?? 0, y(Math.max(p.y, floor)) ?? 0] as const) : null), [x, y, floor]);
  if (!x || !y || !area) return null;
  // each dot a zero-length segment with round caps: thousands of SVG circles take the renderer over a frame
  const dots = result.madnas.map((m, i) => `M${(x(m) ?? 0).toFixed(1)} ${(y(Math.max(result.accuracy[i], floor)) ?? 0).toFixed(1)}h0`).join('');
  return (
    <g>
      <path d={dots} className="macro-dots" />
      <CurrentPointRing position={position} />
    </g>
  );
}

const MacroScatter = memo(function MacroScatter({ result }: { result: MacroCheckResult }) {
  const [width, setWidth] = useState(0);
  const xDomain = useMemo(() => stableDomain(null, result.madnas), [result]);
  const floor = useMemo(() => quantile(result.accuracy, ACCURACY_FLOOR_QUANTILE), [result]);
  const yDomain = useMemo<[number, number]>(() => {
    const [, high] = stableDomain(null, result.accuracy);
    return [Math.floor(floor), Math.min(high, 100)];
  }, [result, floor]);
  const below = useMemo(() => result.accuracy.filter((a) => a < yDomain[0]), [result, yDomain]);
  const xAxis = useMemo<FittedAxis>(() => ({ ticks: (count) => axisTicks(xDomain, count), format: scoreTick, fraction: (v) => (v - xDomain[0]) / (xDomain[1] - xDomain[0]) }), [xDomain]);
  const { values: xValues, tick: xTick } = useFittedXTicks(width, MARGIN.left + Y_AXIS_WIDTH, MARGIN.right, xAxis);
  const yTicks = useMemo(() => axisTicks(yDomain, 6), [yDomain]);
  const series = useMemo((): ChartSeries[] => {
    const order = result.madnas.map((_, i) => i).sort((a, b) => result.madnas[a] - result.madnas[b] || result.accuracy[a] - result.accuracy[b]);
    return [{ name: 'network', points: order.map((i) => ({ x: result.madnas[i], y: result.accuracy[i], text: `${result.ids[i]}: madnas ${result.madnas[i].toFixed(1)}, mean accuracy ${result.accuracy[i].toFixed(2)} %` })) }];
  }, [result]);
  const read = useCallback(() => series, [series]);
  const madnas = rankingOf(result, 'madnas');
  const summary = `${formatCount(result.ids.length)} networks; madnas ${Math.min(...result.madnas).toFixed(1)} to ${Math.max(...result.madnas).toFixed(1)}, mean accuracy ${Math.min(...result.accuracy).toFixed(2)} % to ${Math.max(...result.accuracy).toFixed(2)} %; Kendall τ-b ${tau(madnas.kendall)}. ${
    below.length ? `The ${below.length} networks below ${yDomain[0]} % (down to ${Math.min(...below).toFixed(1)} %) sit on the bottom edge.` : ''
  }`;
  return (
    <div data-testid="macro-scatter" className="macro-scatter">
      <ChartKeys name={`Mean CIFAR-10 accuracy against madnas score, ${formatCount(result.ids.length)} NAS-Bench-Macro networks`} summary={summary} read={read}>
        <ResponsiveContainer width="100%" height={300} onResize={setWidth}>
          <ScatterChart margin={MARGIN} accessibilityLayer={false}>
            <GridLines xTicks={xValues} yTicks={yTicks} />
            <XAxis type="number" dataKey="x" name="madnas" domain={xDomain} ticks={xValues} interval={0} allowDataOverflow tick={xTick} label={{ value: 'madnas score, weights [0, 0, 0, 1]', position: 'insideBottom', offset: -10 }} />
            <YAxis type="number" dataKey="y" name="accuracy" domain={yDomain} ticks={yTicks} interval={0} allowDataOverflow width={Y_AXIS_WIDTH} tick={plainTick} label={{ value: 'mean accuracy (%)', angle: -90, position: 'insideLeft', offset: 4, textAnchor: 'middle' }} />
            <Scatter data={NO_POINTS} isAnimationActive={false} />
            <Dots result={result} floor={yDomain[0]} />
          </ScatterChart>
        </ResponsiveContainer>
      </ChartKeys>
    </div>
  );
});

function Rankings({ result }: { result: MacroCheckResult }) {
  const weakest = result.rankings.reduce((a, b) => ((b.kendall ?? -Infinity) < (a.kendall ?? -Infinity) ? b : a));
  const { sentence } = overallComparison(result);
  return (
    <>
      <table className="stage-table" data-testid="macro-rankings">
        <thead>
          <tr>
            <th>proxy</th>
            <th>Kendall τ-b</th>
            <th>Spearman ρ</th>
            <th className="macro-note">what it is</th>
          </tr>
        </thead>
        <tbody>
          {result.rankings.map((r) => (
            <tr key={r.proxy} data-proxy={r.proxy} data-kendall={r.kendall ?? ''} data-spearman={r.spearman ?? ''}>
              <td>{r.label}</td>
              <td>{tau(r.kendall)}</td>
              <td>{tau(r.spearman)}</td>
              <td className="macro-note">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="macro-overall">
        Over all {formatCount(result.ids.length)} networks {sentence}. The weakest is that of {weakest.label}: τ-b {tau(weakest.kendall)}.
      </p>
    </>
  );
}

function Ladder({ result }: { result: MacroCheckResult }) {
  const { madnas, flops, ties } = budgetComparison(result);
  return (
    <>
      <div className="table-scroll">
        <table className="stage-table" data-testid="macro-ladder">
          <thead>
            <tr>
              <th>FLOPs budget</th>
              <th>networks within</th>
              <th>best accuracy</th>
              {result.rankings.map((r) => (
                <th key={r.proxy}>regret of {r.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.ladder.map((rung) => {
              const lowest = Math.min(...rung.picks.map((p) => Number(points(p.regret))));
              return (
                <tr key={rung.budget} data-testid="macro-rung" data-budget={rung.budget} data-regrets={rung.picks.map((p) => p.regret).join(',')}>
                  <td>{budgetText(rung.budget)}</td>
                  <td>{formatCount(rung.networks)}</td>
                  <td>{rung.best.accuracy.toFixed(2)} %</td>
                  {rung.picks.map((p) => (
                    <td key={p.proxy} className={Number(points(p.regret)) === lowest ? 'macro-lowest' : undefined}>
                      {points(p.regret)}
                    </td>
                  ))}
                </tr>
              );
            })}
            <tr>
              <td>mean over the budgets</td>
              <td />
              <td />
              {result.rankings.map((r) => (
                <td key={r.proxy}>{points(meanRegret(result, r.proxy))}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <p data-testid="macro-budgets" data-madnas={madnas} data-flops={flops} data-ties={ties}>
        Regret in accuracy points, the lowest of each budget in bold (a pick tied with others counts their mean accuracy). Within a budget the pick of madnas comes
        closer to the best network than that of FLOPs on {madnas} of the {result.ladder.length} budgets, that of FLOPs on {flops}
        {ties ? `, and the two tie on ${ties}` : ''}.
      </p>
    </>
  );
}

function relation(search: MacroSearchResult): string {
  const [found, own] = [points(search.medianRegret), points(search.pickRegret)];
  if (found === own) return 'the same as';
  const gap = points(Math.abs(search.medianRegret - search.pickRegret));
  return search.medianRegret > search.pickRegret ? `${gap} points more than` : `${gap} points less than`;
}

function SearchWithin({ result }: { result: MacroCheckResult }) {
  const [chosen, setChosen] = useState<number | null>(null);
  const rung = chosen ?? middleRung(result);
  const budget = result.ladder[rung].budget;
  const task = useLessonTask<MacroSearchResult>();
  const { run } = task;
  useEffect(() => {
    run((worker, onProgress) => worker.macroSearch({ flopsBudget: budget }, onProgress));
  }, [budget, run]);
  // a result for another budget stays out of sight until the new one comes
  const search = task.result?.flopsBudget === budget ? task.result : null;
  return (
    <>
      <div className="widget-controls">
        <label>
          Search within{' '}
          <select aria-label="search budget" value={rung} onChange={(e) => setChosen(Number(e.target.value))}>
            {result.ladder.map((r, i) => (
              <option key={r.budget} value={i}>
                {budgetText(r.budget)} ({formatCount(r.networks)} networks)
              </option>
            ))}
          </select>
        </label>
      </div>
      {task.running && <TaskProgress progress={task.progress} onCancel={task.cancel} />}
      {task.error && <p className="field-error">{task.error}</p>}
      {search && (
        <p data-testid="macro-search" data-budget={search.flopsBudget} data-median-regret={search.medianRegret} data-reached-top={search.reachedTop}>
          The studio&apos;s search in this space (step 6&apos;s loop, madnas its objective, population {search.population}, {formatCount(search.children)} children),{' '}
          {search.runs.length} runs with seeds {search.runs[0].seed}–{search.runs.at(-1)!.seed} within {budgetText(search.flopsBudget)}: median regret{' '}
          <strong>{points(search.medianRegret)}</strong> points, {relation(search)} the regret of madnas&apos;s own pick among all the networks within the budget (
          {points(search.pickRegret)} points). {search.reachedTop} of the {search.runs.length} runs ended on a network madnas ranks first there.
        </p>
      )}
    </>
  );
}

/** whether the proxy that orders all the networks better also picks better within the budgets, said for the caveat */
function orderChange(result: MacroCheckResult): string {
  const better = overallComparison(result).better;
  const budgets = budgetComparison(result);
  if (!better || budgets.madnas === budgets.flops) return '';
  const closer = rankingOf(result, budgets.madnas > budgets.flops ? 'madnas' : 'flops');
  if (closer.proxy === better.proxy) return `; here it does not: ${better.label} leads in both`;
  const wins = Math.max(budgets.madnas, budgets.flops);
  return `: here the order of ${better.label} is the better over all the networks, yet the pick of ${closer.label} comes closer to the best on ${wins} of the ${result.ladder.length} budgets`;
}

function Caveats({ result }: { result: MacroCheckResult | null }) {
  const params = result && rankingOf(result, 'params');
  const paramsPlace = result && params && result.rankings.filter((r) => (r.kendall ?? -Infinity) > (params.kendall ?? -Infinity)).length;
  return (
    <ul className="macro-caveats" data-testid="macro-caveats">
      <li>
        <strong>CIFAR-10 classification, not COCO detection.</strong> The stage weights are the classification ones; nothing here tests detection&apos;s [
        {DETECTION.score.multiBlockRatio.join(', ')}],
        the multi-scale features of step 4 or a detector&apos;s box AP.
      </li>
      <li>
        <strong>Small networks from a small space.</strong> {LAYERS} layers of {MACRO_CHOICES.length} choices at {MACRO_IMAGE_SIZE}×{MACRO_IMAGE_SIZE}, where the
        detection space varies the widths, depths and kernels of five stages at {DETECTION.imageSize}×{DETECTION.imageSize}.
      </li>
      <li>
        <strong>Ranking all the networks is not picking within a budget.</strong> A search only compares networks within its budget, and there the order of the
        proxies can change{result && orderChange(result)}.
      </li>
      <li>
        <strong>The baselines are strong.</strong> ZiCo (ICLR 2023) found that no zero-shot proxy before it worked consistently better across NAS benchmarks than
        simply counting the parameters.
        {result && params && paramsPlace !== null && (
          <>
            {' '}
            Here params comes {['first', 'second', 'third'][paramsPlace]} of the three (τ-b {tau(params.kendall)}); FLOPs, just as free, reach τ-b{' '}
            {tau(rankingOf(result, 'flops').kendall)}: a score has to beat both.
          </>
        )}
      </li>
      <li>
        <strong>Training noise.</strong> Each accuracy is the mean of {RUNS} training runs, and the runs of a network differ
        {result && (
          <>
            {' '}
            (a median std of {result.noise.medianStd.toFixed(2)} points; the file gives each network&apos;s); two runs order the networks alike only to τ-b{' '}
            {tau(result.noise.runAgreement[0])}–{tau(result.noise.runAgreement[1])}
          </>
        )}
        . No score can match noisy accuracies exactly, and regrets that differ by less than the runs&apos; spread are within the noise.
      </li>
    </ul>
  );
}

export function DoesItWork() {
  const task = useLessonTask<MacroCheckResult>();
  const { run } = task;
  useEffect(() => {
    run((worker, onProgress) => worker.macroCheck(onProgress));
  }, [run]);
  const result = task.result;
  return (
    <>
      <p>
        Every step so far ranks networks by a score of the untrained network. Does a higher score mean a better network once it is trained? The paper&apos;s evidence
        is a few trained detectors (step 5). A benchmark of trained networks tests the ranking itself: NAS-Bench-Macro holds every network of a small
        MobileNetV2-like space — {LAYERS} layers, each one of {MACRO_CHOICES.map((c) => c.label).join(' / ')} (MBv2: MobileNetV2&apos;s inverted residual, t its
        expansion) — {formatCount(MACRO_CHOICES.length ** LAYERS)} networks, each trained {RUNS} times on CIFAR-10 at {MACRO_IMAGE_SIZE}×{MACRO_IMAGE_SIZE}.
        The studio builds each one from its code and scores it with madnas. A classifier reads only the last stage, so the stage weights are TinyNAS&apos;s
        classification ones, [{MACRO_STAGE_WEIGHTS.join(', ')}] for the stem and the three stages: the last stage&apos;s sum runs from the stem, so every
        block counts once (step 4).
      </p>
      <p>
        Two questions. How well does the score order all the networks? Kendall&apos;s τ-b counts the pairs of networks it orders as their accuracy does, minus
        those it orders the other way, as a fraction of the pairs (1: the same order, 0: no relation); Spearman&apos;s ρ is the correlation of the ranks. And,
        what a search faces: how good is the network it ranks first within a FLOPs budget? Its regret is the best accuracy within the budget minus the
        accuracy of that pick: 0 means it picked the best. FLOPs and params are the baselines: they cost nothing to compute, and a score is worth its formula
        only if it beats them.
      </p>
      <p className="hint" data-testid="macro-source">
        Data: {MACRO_SOURCE.citation} {MACRO_SOURCE.license} <a href={MACRO_SOURCE.url}>{MACRO_SOURCE.url}</a>
      </p>
      <div className="widget" data-testid="does-it-work">
        {task.running && <TaskProgress progress={task.progress} onCancel={task.cancel} />}
        {task.error && <p className="field-error">{task.error}</p>}
        {result && (
          <>
            <Rankings result={result} />
            <MacroScatter result={result} />
            <Ladder result={result} />
            <SearchWithin result={result} />
          </>
        )}
      </div>
      <p>The caveats:</p>
      <Caveats result={result} />
      <p>
        The <a href="#/validate">Validate view</a> has the whole comparison: DeepMAD&apos;s score and the measured entropy beside these, bootstrap intervals, the
        networks one by one, searches, and benchmarks of your own.
      </p>
    </>
  );
}
