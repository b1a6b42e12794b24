/**
 * Step 5: budgets make it a trade-off. FLOPs against score for networks sampled from the space,
 * the frontier of the best found within each FLOPs budget, the reference networks, and a budget
 * slider that picks the best network within it, all computed in the lesson worker; then why FLOPs
 * are not latency (FlopsNotLatency.tsx).
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { bestWithin } from '../../../engine/evolution/frontier';
import type { MemberRecord } from '../../../engine/evolution/population';
import { presetConfig, type RunConfig } from '../../../engine/config';
import { layers, PAPER_INPUT, params, stageInfo } from '../../../engine/cost';
import { findReferenceNetwork, publishedResult } from '../../../engine/referenceNetworks';
import { formatWithUnit } from '../../../engine/units';
import type { FrontierResult, ReferenceMark } from '../../../../workers/lessonApi';
import { ChartKeys, CurrentPointRing, useChartText, type ChartPoint, type ChartSeries } from '../../components/ChartKeys';
import { axisTicks, scoreTick, stableDomain, tickLabel } from '../../components/charts';
import { GridLines } from '../../components/GridLines';
import { aboveLine, besideMarker, placeLabels, textMeasure, type Box, type LabelRequest } from '../../components/labelPlacement';
import { NetworkDrawing } from '../../components/NetworkDrawing';
import { plainTick, useFittedXTicks, type FittedAxis } from '../../components/PlainTick';
import { formatCount, formatGiga, formatMega } from '../../format';
import { FlopsConventions } from '../Flops';
import { TaskProgress, useLessonTask } from './useLessonTask';
import { describeSetUp, useStudioConfig } from './useStudioConfig';
import { FlopsNotLatency } from './FlopsNotLatency';
import './lessonSteps.css';

const PRESET = presetConfig('detection-r50');
const PRESET_RESOLUTION = PRESET.imageSize;
const PRESET_FLOPS = PRESET.budgets.flops!;
const PRESET_LAYERS = PRESET.budgets.layers!;
/** FLOPs grow with the input's area, so the budget at 1280×800 is the budget × 1280·800 / R² */
const PRESET_FLOPS_AT_PAPER_INPUT = (PRESET_FLOPS * PAPER_INPUT.width * PAPER_INPUT.height) / PRESET_RESOLUTION ** 2;
const RESNET50 = publishedResult('ResNet-50');
const MAEDET_S = publishedResult('maedet_s');
const SEED = findReferenceNetwork('r50_det_seed')!.structure;
const SEED_COSTS = { layers: layers(SEED), params: params(SEED) };
const SAMPLES = 3000;
const RUNGS = 10;
const CHILDREN_PER_RUNG = 10_000;
/** slider positions across the FLOPs range */
const SLIDER_STEPS = 400;
const MARGIN = { top: 20, right: 24, bottom: 20, left: 10 };
const Y_AXIS_WIDTH = 70;
/** the markers' labels: font size (app.css), box height, and space from a marker's centre */
const LABEL_FONT = 11;
const LABEL_HEIGHT = 14;
const LABEL_GAP = 9;
/** half a reference marker's box */
const MARKER = 6;
const NO_POINTS: never[] = [];
const flopsOf = (m: { flops: number }) => m.flops;

/**
 * Samples, frontier, rung bests, markers and budget lines, drawn as plain SVG on the chart's
 * scales. Each reference network's label goes beside its marker (right, else left, else a line up
 * or down), inside the plot and clear of the markers and of the labels placed before it; one that
 * fits nowhere is left out, and the chart's summary names it (the table below lists them all).
 */
function FrontierLayers({ result, budget, picked }: { result: FrontierResult; budget: number; picked: MemberRecord | null }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const text = useChartText();
  const px = useCallback((flops: number) => x?.(flops) ?? 0, [x]);
  const py = useCallback((score: number) => y?.(score) ?? 0, [y]);
  const labels = useMemo(() => {
    if (!area) return null;
    const measure = textMeasure(LABEL_FONT);
    const size = (label: string) => ({ width: measure(label), height: LABEL_HEIGHT });
    const markers = result.references.map((r) => ({ label: r.label, x: px(r.flops), y: py(r.score) }));
    const requests: LabelRequest[] = markers.map((m) => ({ candidates: besideMarker(m.x, m.y, size(m.label), LABEL_GAP), within: area }));
    // the studio budget's label sits in the strip above the plot
    if (result.flopsBudget !== null) requests.unshift({ candidates: aboveLine(px(result.flopsBudget), area.y - 2, size('studio budget')), within: { x: 0, y: 0, width: area.x + area.width + MARGIN.right, height: area.y } });
    const obstacles = markers.map((m) => ({ x: m.x - MARKER, y: m.y - MARKER, width: 2 * MARKER, height: 2 * MARKER }));
    const boxes = placeLabels(requests, obstacles);
    const budgetBox = result.flopsBudget === null ? null : boxes.shift()!;
    return { budget: budgetBox, references: boxes };
  }, [area, result, px, py]);
  const unlabelled = labels ? result.references.filter((_, i) => labels.references[i] === null).map((r) => r.label) : [];
  const note = unlabelled.length === 0 ? '' : `Not labelled on the chart, where a label would cover another: ${unlabelled.join(', ')} (see the table).`;
  useLayoutEffect(() => text?.note(note), [text, note]);
  const ring = useCallback(
    (p: ChartPoint) => {
      const [cx, cy] = [px(p.x), py(p.y)];
      return area && cx >= area.x && cx <= area.x + area.width && cy >= area.y && cy <= area.y + area.height ? ([cx, cy] as const) : null;
    },
    [px, py, area],
  );
  if (!x || !y || !area || !labels) return null;
  // each dot a zero-length segment with round caps: thousands of arcs took the page's renderer over a frame
  const dots = result.samples.map((s) => `M${px(s.flops).toFixed(1)} ${py(s.score).toFixed(1)}h0`).join('');
  // the best score seen within a budget stays flat until a costlier network scores higher
  const steps = result.front.map((m, i) => `${i === 0 ? 'M' : 'H'}${px(m.flops).toFixed(1)}${i === 0 ? ' ' : 'V'}${py(m.score).toFixed(1)}`).join('');
  const front = `${steps}H${px(result.flopsRange[1]).toFixed(1)}`;
  const labelText = (box: Box, label: string) => (
    <text x={box.x} y={box.y + box.height / 2} dy="0.35em">
      {label}
    </text>
  );
  const verticalLine = (flops: number, className: string, label?: Box | null) => (
    <g className={className}>
      <line x1={px(flops)} x2={px(flops)} y1={area.y} y2={area.y + area.height} />
      {label && labelText(label, 'studio budget')}
    </g>
  );
  return (
    <g>
      <path d={dots} className="frontier-samples" role="img" aria-label={`${result.samples.length} sampled networks`} />
      <path d={front} className="frontier-line" />
      {result.rungs.map((r) => (
        <rect key={r.budget} x={px(r.best.flops) - 3.5} y={py(r.best.score) - 3.5} width={7} height={7} className="frontier-rung" />
      ))}
      <g className="landmarks">
        {result.flopsBudget !== null && verticalLine(result.flopsBudget, 'budget-line', labels.budget)}
        {verticalLine(budget, 'picked-budget')}
        {result.references.map((r, i) => {
          const box = labels.references[i];
          return (
            <g key={r.name} className="reference-marker">
              <path d={`M${px(r.flops)} ${py(r.score) - 6}l5 6l-5 6l-5 -6z`} />
              {box && labelText(box, r.label)}
            </g>
          );
        })}
      </g>
      {picked && <circle cx={px(picked.flops)} cy={py(picked.score)} r={6} className="frontier-picked" />}
      <CurrentPointRing position={ring} />
    </g>
  );
}

const FrontierChart = memo(function FrontierChart({ result, budget, picked }: { result: FrontierResult; budget: number; picked: MemberRecord | null }) {
  const [width, setWidth] = useState(0);
  const xDomain = useMemo<[number, number]>(() => [0, result.flopsRange[1]], [result]);
  const yDomain = useMemo(() => stableDomain(null, [...result.samples.map((s) => s.score), ...result.front.map((m) => m.score), ...result.references.map((r) => r.score)]), [result]);
  const xAxis = useMemo<FittedAxis>(() => ({ ticks: (count) => axisTicks(xDomain, count), format: tickLabel, fraction: (v) => v / xDomain[1] }), [xDomain]);
  const { values: xValues, tick: xTick } = useFittedXTicks(width, MARGIN.left + Y_AXIS_WIDTH, MARGIN.right, xAxis);
  const yTicks = useMemo(() => axisTicks(yDomain), [yDomain]);
  return (
    <ResponsiveContainer width="100%" height={360} onResize={setWidth}>
      <ScatterChart margin={MARGIN} accessibilityLayer={false}>
        <GridLines xTicks={xValues} yTicks={yTicks} />
        <XAxis type="number" dataKey="x" name="FLOPs" tickFormatter={tickLabel} tick={xTick} domain={xDomain} ticks={xValues} allowDataOverflow interval={0} label={{ value: `FLOPs at ${result.imageSize}×${result.imageSize}`, position: 'insideBottom', offset: -10 }} />
        <YAxis type="number" dataKey="y" name="score" domain={yDomain} ticks={yTicks} width={Y_AXIS_WIDTH} tickFormatter={scoreTick} tick={plainTick} allowDataOverflow interval={0} label={{ value: 'entropy score', angle: -90, position: 'insideLeft', offset: 4, textAnchor: 'middle' }} />
        <Scatter data={NO_POINTS} isAnimationActive={false} />
        <FrontierLayers result={result} budget={budget} picked={picked} />
      </ScatterChart>
    </ResponsiveContainer>
  );
});

/** networks as the keyboard's points, in FLOPs order */
const networkPoints = (members: readonly { flops: number; score: number; layers?: number }[], pick?: (flops: number) => string): ChartPoint[] =>
  [...members]
    .sort((a, b) => a.flops - b.flops || a.score - b.score)
    .map((m) => ({ x: m.flops, y: m.score, text: `score ${m.score.toFixed(1)}, ${formatGiga(m.flops)}FLOPs${m.layers === undefined ? '' : `, ${m.layers} layers`}`, pick: pick && (() => pick(m.flops)) }));

const FRONTIER_KEYS_HELP =
  'On the chart: ← and → step through the frontier in FLOPs order, Home and End go to its ends; ↓ and ↑ go on to the best of each budgeted search, the reference networks and the sampled networks; Enter on a frontier network makes its FLOPs the budget.';

/** what a marked network breaks besides FLOPs, e.g. "layers 109 > 91" */
function overBudgetNote(mark: ReferenceMark): string {
  return mark.overBudget.map((v) => `${v.key} ${formatWithUnit(v.value, 4)} > ${formatWithUnit(v.budget, 4)}`).join(', ');
}

function ReferenceTable({ result }: { result: FrontierResult }) {
  return (
    <table className="frontier-references">
      <thead>
        <tr>
          <th>network</th>
          <th>params</th>
          <th>FLOPs at {result.imageSize}²</th>
          <th>FLOPs at 1280×800 (paper)</th>
          <th>score</th>
          <th>layers</th>
          <th>best seen within its FLOPs</th>
          <th>other budgets</th>
        </tr>
      </thead>
      <tbody>
        {result.references.map((r) => {
          const best = bestWithin(result.front, r.flops, flopsOf);
          return (
            <tr key={r.name} data-testid="frontier-reference" data-name={r.name} data-flops={r.flops} data-score={r.score}>
              <td>
                {r.label}
                <div className="hint">{r.note}</div>
              </td>
              <td>{formatMega(r.params, 1)}</td>
              <td>{formatGiga(r.flops)}</td>
              <td>{formatGiga(r.paperFlops1280x800, 1)}</td>
              <td>{r.score.toFixed(1)}</td>
              <td>{r.layers}</td>
              <td>{best ? best.score.toFixed(1) : '—'}</td>
              <td>{r.overBudget.length ? `breaks ${overBudgetNote(r)}` : 'fits'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Frontier({ result }: { result: FrontierResult }) {
  const lowest = result.front[0].flops;
  const highest = result.flopsRange[1];
  const [chosen, setChosen] = useState<number | null>(null);
  // a recomputed frontier may span other FLOPs, so even a chosen budget is kept inside its range
  const budget = Math.min(highest, Math.max(lowest, chosen ?? result.flopsBudget ?? (lowest + highest) / 2));
  const picked = bestWithin(result.front, budget, flopsOf);
  const report = useMemo(() => picked && { stageInfo: stageInfo(picked.structure, result.imageSize) }, [picked, result.imageSize]);
  const readNetworks = useCallback(
    (): ChartSeries[] => [
      {
        name: 'frontier network',
        points: networkPoints(result.front, (flops) => {
          setChosen(flops);
          return `the FLOPs budget is now ${formatGiga(flops)}`;
        }),
      },
      { name: 'best of a budgeted search', points: networkPoints(result.rungs.map((r) => r.best)) },
      {
        name: 'reference network',
        points: [...result.references].sort((a, b) => a.flops - b.flops).map((r) => ({ x: r.flops, y: r.score, text: `${r.label}: score ${r.score.toFixed(1)}, ${formatGiga(r.flops)}FLOPs, ${r.layers} layers` })),
      },
      { name: 'sampled network', points: networkPoints(result.samples) },
    ],
    [result],
  );
  const scores = result.front.map((m) => m.score);
  const chartSummary = `${formatCount(result.samples.length)} sampled networks; the frontier joins ${result.front.length} networks from ${formatGiga(lowest)}FLOPs to ${formatGiga(result.front.at(-1)!.flops)}FLOPs, scoring ${Math.min(...scores).toFixed(1)} to ${Math.max(...scores).toFixed(1)}${picked ? `; within the ${formatGiga(budget)}FLOPs budget the best scores ${picked.score.toFixed(1)}` : ''}.`;
  return (
    <>
      <div data-testid="frontier-chart" className="frontier-chart">
        <ChartKeys name={`Budgets: entropy score against FLOPs at ${result.imageSize}×${result.imageSize}, ${formatCount(result.samples.length)} sampled networks and the frontier`} summary={chartSummary} read={readNetworks} help={FRONTIER_KEYS_HELP}>
          <FrontierChart result={result} budget={budget} picked={picked} />
        </ChartKeys>
      </div>
      <p className="legend">
        <span className="swatch sample" /> sampled networks <span className="swatch front" /> frontier (best seen within the FLOPs) <span className="swatch rung" /> best of a
        budgeted search <span className="swatch reference" /> reference networks <span className="swatch budget" /> studio budget
      </p>
      <div className="widget-controls">
        <label className="frontier-slider">
          FLOPs budget {formatGiga(budget)}
          <input type="range" min={lowest} max={highest} step={(highest - lowest) / SLIDER_STEPS} value={budget} onChange={(e) => setChosen(Number(e.target.value))} aria-label="FLOPs budget" />
        </label>
      </div>
      {picked && report && (
        <div data-testid="frontier-best" data-budget={budget} data-score={picked.score} data-flops={picked.flops}>
          <p>
            Within {formatGiga(budget)}FLOPs the best network seen scores <strong>{picked.score.toFixed(1)}</strong>: {formatGiga(picked.flops)}FLOPs, {picked.layers} layers,{' '}
            {formatMega(picked.params)} params.
          </p>
          <NetworkDrawing structure={picked.structure} report={report} />
        </div>
      )}
      <div data-testid="frontier-summary" data-points={result.samples.length} data-front={result.front.length}>
        <p className="hint">
          {formatCount(result.samples.length)} networks sampled by random mutation walks from the starting network, and {result.rungs.length} searches of{' '}
          {formatCount(result.evaluated / result.rungs.length)} children within budgets from {formatGiga(result.rungs[0].budget)} to {formatGiga(highest)}; FLOPs at{' '}
          {result.imageSize}×{result.imageSize} px. The frontier joins {result.front.length} networks.
        </p>
        <ReferenceTable result={result} />
      </div>
    </>
  );
}

function request(config: RunConfig, attempt: number) {
  // another seed for each recomputation, within the seeds the worker accepts
  return { config, samples: SAMPLES, rungs: RUNGS, childrenPerRung: CHILDREN_PER_RUNG, seed: (config.search.seed + attempt) % 2 ** 30 };
}

export function BudgetFrontier() {
  const studio = useStudioConfig();
  const task = useLessonTask<FrontierResult>();
  const [attempt, setAttempt] = useState(0);
  const config = studio.config;
  const { run } = task;
  useEffect(() => {
    if (config) run((worker, onProgress) => worker.frontier(request(config, attempt), onProgress));
  }, [config, attempt, run]);

  return (
    <>
      <p>
        The score grows with width and depth, so left alone a search would simply make the network bigger. Budgets turn it into a trade-off:
        the detection preset keeps only children with at most {formatGiga(PRESET_FLOPS, 1)}FLOPs at {PRESET_RESOLUTION}×{PRESET_RESOLUTION} and at
        most {PRESET_LAYERS} layers. The FLOPs budget is ResNet-50&apos;s 4.09 GFLOPs at 224×224 scaled to {PRESET_RESOLUTION}×{PRESET_RESOLUTION}{' '}
        (TinyNAS <code>configs/detection/R50_FLOPs.py</code>); at the paper&apos;s 1280×800 input the same budget is{' '}
        {formatGiga(PRESET_FLOPS_AT_PAPER_INPUT, 1)}FLOPs, ResNet-50&apos;s row in the paper&apos;s table ({RESNET50.gflops1280x800} G). Within the budgets,
        the search has to spend FLOPs and layers where the score gains most.
      </p>
      <p className="hint">
        <FlopsConventions resolution={PRESET_RESOLUTION} />
      </p>
      <p>
        The chart shows the trade-off for the studio&apos;s set-up. Each dot is a network met on a random mutation walk from the starting network: what the
        space holds. The line is the frontier — the best score seen at or below each FLOPs, from short searches at a ladder of FLOPs budgets
        (squares) and from the walks. Nothing seen lies above it; along it, more score costs more FLOPs. The diamonds, scored by the same
        formula, are: the search&apos;s starting network — TinyNAS&apos;s &quot;R50&quot; seed structure, named after its budget, but a small start, one bottleneck per stage,{' '}
        {SEED_COSTS.layers} layers and {formatMega(SEED_COSTS.params, 1)} params, not ResNet-50; TinyNAS&apos;s classification network
        &quot;R50-like&quot;, searched at 224×224 with weights [0, 0, 0, 0, 1] — not ResNet-50 either, nor a detection backbone; and the published
        MAE-DET-S/M/L backbones. The line is only as good as these short searches: a marker above it breaks another budget (see the table) or
        beats what they found — a full search runs {formatCount(PRESET.search.numRandomNets)} children. A marker below it was found under other settings: the published networks
        come from MAE-DET&apos;s own searches, and some of their features are out of this search&apos;s reach — all three have five blocks where
        the starting network has six, and MAE-DET-M and -L have wider stems than the mutations allow.
      </p>
      <p>
        And a higher score means a higher rank under the proxy; only training shows whether the network detects better. The paper&apos;s evidence
        is trained detectors: MAE-DET-S, found with this score, reaches {MAEDET_S.boxAP} box AP at {MAEDET_S.gflops1280x800} GFLOPs where ResNet-50
        reaches {RESNET50.boxAP} at {RESNET50.gflops1280x800} GFLOPs (GFL on COCO, TinyNAS <code>configs/detection/README.md</code>). The
        field&apos;s caveat: ZiCo (ICLR 2023) notes that no zero-shot proxy proposed before it worked consistently better on NAS benchmarks than
        simply counting the parameters.
      </p>
      <div className="widget">
        {studio.error && (
          <p className="field-error" role="alert">
            {studio.error}
          </p>
        )}
        {config && (
          <div className="widget-controls">
            <span className="hint">Set-up: {describeSetUp(config, { withFlops: false })}; the FLOPs budget is what varies.</span>
            <button onClick={() => setAttempt((a) => a + 1)} disabled={task.running}>
              Recompute with another random seed
            </button>
          </div>
        )}
        {task.running && <TaskProgress progress={task.progress} onCancel={task.cancel} />}
        {task.error && <p className="field-error">{task.error}</p>}
        {task.result && <Frontier result={task.result} />}
      </div>
      <FlopsNotLatency computing={task.running} />
    </>
  );
}
