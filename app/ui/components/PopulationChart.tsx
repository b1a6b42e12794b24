import { memo, useCallback, useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RunConfig } from '../../engine/config';
import { memberAt, type MemberColumns } from '../../engine/evolution/codec';
import { flopsAt, layers, params, stageCount } from '../../engine/cost';
import { findReferenceNetwork } from '../../engine/referenceNetworks';
import { madnas } from '../../engine/scores/madnas';
import { formatCount, formatGiga, formatLatency, formatMega } from '../format';
import type { Structure } from '../../engine/block';
import type { LatencyPredictor } from '../../engine/latency/predictor';
import { usePredictor } from '../stores/latencyStore';
import { useRunStore, type RunState } from '../stores/runStore';
import { ChartFrame, type PlotArea, type Scales } from './ChartFrame';
import { ChartKeys, useChartText, type ChartPoint, type ChartSeries } from './ChartKeys';
import { axisTicks, scoreTickFormat, tickLabel, X_AXIS_LABEL, type XAxisKey } from './charts';
import { aboveLine, besideMarker, placeLabels, textMeasure, type Box, type LabelRequest } from './labelPlacement';
import { PlotCanvas, type PlotDescribe, type PlotDraw } from './PlotCanvas';
import { useRunDomain } from './useStableDomain';

const MARKERS = ['r50_det_seed', 'maedet_s', 'maedet_m', 'maedet_l', 'cls_r18_like', 'cls_r50_like', 'cls_r152_like'];
const NO_REFERENCES: Reference[] = [];
const DOT_RADIUS = 3;
/** the landmarks' labels: font size (app.css), box height, and space from a marker's centre */
const LABEL_FONT = 11;
const LABEL_HEIGHT = 14;
const LABEL_GAP = 9;
/** half a reference marker's box */
const MARKER = 6;

/** a value of the x axis in words: "10.99 G FLOPs", "5.60 M params", "91 layers", "12.3 ms" */
const X_VALUE: Record<XAxisKey, (v: number) => string> = { flops: (v) => `${formatGiga(v)} FLOPs`, params: (v) => `${formatMega(v)} params`, layers: (v) => `${v} layers`, latency: formatLatency };

interface Reference {
  x: number;
  y: number;
  label: string;
}

const watchPopulation = (s: RunState) => s.population;
const candidatesLabel = (n: number) => `${n} candidates`;

/** the smallest and largest finite value of a column, or nothing when it has none */
function extent(values: Float64Array): number[] {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi && v !== Infinity) hi = v;
  }
  return lo <= hi ? [lo, hi] : [];
}

const latencyColumns = new WeakMap<MemberColumns, { predictor: LatencyPredictor | null; column: Float64Array }>();

/**
 * The population's values on the x axis: a column it carries, or for latency each member's
 * prediction (∞ where the profile cannot time it), computed once per population and profile.
 */
function xColumn(population: MemberColumns, x: XAxisKey, predictor: LatencyPredictor | null): Float64Array {
  if (x !== 'latency') return population[x];
  const cached = latencyColumns.get(population);
  if (cached?.predictor === predictor) return cached.column;
  const column = new Float64Array(population.count).fill(Infinity);
  if (predictor) for (let i = 0; i < population.count; i++) column[i] = predictor.predictMs(memberAt(population, i).structure);
  latencyColumns.set(population, { predictor, column });
  return column;
}

function referencePoints(config: RunConfig, x: XAxisKey, predictor: LatencyPredictor | null): Reference[] {
  const value = (s: Structure) => (x === 'flops' ? flopsAt(s, config.imageSize) : x === 'params' ? params(s) : x === 'layers' ? layers(s) : (predictor?.predictMs(s) ?? Infinity));
  const ratio = config.score.multiBlockRatio;
  // a landmark is scored with the run's stage weights, so only one with as many stages is drawn
  // (the detection landmarks have five; NAS-Bench-Macro's networks four)
  return MARKERS.map((name) => findReferenceNetwork(name)!)
    .filter((s) => stageCount(s.structure) === ratio.length)
    .map((s) => ({ x: value(s.structure), y: madnas(s.structure, ratio).total, label: s.label }))
    .filter((r) => Number.isFinite(r.x));
}

/** a landmark's label where it is drawn */
interface Label {
  text: string;
  box: Box;
}

/**
 * The budget line and the reference networks as diamonds; markers outside the plot are left out.
 * Each label goes beside its marker (right, else left, else a line up or down), inside the plot
 * and clear of the markers and the labels placed before it, the budget's first and the reference
 * networks in the catalogue's order; one that fits nowhere is left out, and the chart's summary
 * names it (the keyboard reads every reference network).
 */
function Landmarks({ scales, budget, references }: { scales: Scales; budget: number | null; references: Reference[] }) {
  const text = useChartText();
  const { area } = scales;
  const budgetX = budget === null ? undefined : scales.x(budget);
  const showBudget = budgetX !== undefined && budgetX >= area.x && budgetX <= area.x + area.width;
  const markers = useMemo(
    () =>
      references
        .map((r) => ({ label: r.label, px: scales.x(r.x), py: scales.y(r.y) }))
        .filter(({ px, py }) => px >= area.x && px <= area.x + area.width && py >= area.y && py <= area.y + area.height),
    [references, scales, area],
  );
  const { budgetLabel, labels } = useMemo(() => {
    const measure = textMeasure(LABEL_FONT);
    const size = (label: string) => ({ width: measure(label), height: LABEL_HEIGHT });
    const requests: LabelRequest[] = markers.map((m) => ({ candidates: besideMarker(m.px, m.py, size(m.label), LABEL_GAP), within: area }));
    // the budget's label sits in the strip above the plot
    if (showBudget) requests.unshift({ candidates: aboveLine(budgetX, area.y - 2, size('budget')), within: { x: 0, y: 0, width: scales.width, height: area.y } });
    const obstacles = markers.map((m) => ({ x: m.px - MARKER, y: m.py - MARKER, width: 2 * MARKER, height: 2 * MARKER }));
    const boxes = placeLabels(requests, obstacles);
    const budgetBox = showBudget ? boxes.shift()! : null;
    return { budgetLabel: budgetBox && { text: 'budget', box: budgetBox }, labels: markers.map((m, i): Label | null => boxes[i] && { text: m.label, box: boxes[i] }) };
  }, [markers, area, scales.width, showBudget, budgetX]);
  const unlabelled = markers.filter((_, i) => labels[i] === null).map((m) => m.label);
  const note = unlabelled.length === 0 ? '' : `Not labelled on the chart, where a label would cover another: ${unlabelled.join(', ')}.`;
  useLayoutEffect(() => text?.note(note), [text, note]);
  const labelText = (label: Label) => (
    <text x={label.box.x} y={label.box.y + label.box.height / 2} dy="0.35em">
      {label.text}
    </text>
  );
  return (
    <g className="landmarks">
      {showBudget && (
        <g className="budget-line">
          <line x1={budgetX} x2={budgetX} y1={area.y} y2={area.y + area.height} />
          {budgetLabel && labelText(budgetLabel)}
        </g>
      )}
      {markers.map((m, i) => {
        const label = labels[i];
        return (
          <g key={m.label} className="reference-marker">
            <path d={`M${m.px} ${m.py - 6}l5 6l-5 6l-5 -6z`} />
            {label && labelText(label)}
          </g>
        );
      })}
    </g>
  );
}

/** the chart's name for its x axis and number of candidates */
const chartName = (x: XAxisKey, count: number | null) => `Population: entropy score against ${X_AXIS_LABEL[x]}${count === null ? '' : count === 0 ? ', no candidates yet' : `, ${formatCount(count)} candidates`}`;

/** The population as dots on a canvas, drawn from its columns; a click builds the nearest dot's member. */
function PopulationDots({ x, predictor, scales }: { x: XAxisKey; predictor: LatencyPredictor | null; scales: Scales }) {
  const drawn = useRef<{ population: MemberColumns; px: Float32Array; py: Float32Array } | null>(null);
  const draw = useCallback<PlotDraw>(
    (ctx, { population }, s, colors) => {
      const column = xColumn(population, x, predictor);
      const px = new Float32Array(population.count);
      const py = new Float32Array(population.count);
      ctx.fillStyle = colors.color;
      ctx.beginPath();
      for (let i = 0; i < population.count; i++) {
        px[i] = s.x(column[i]);
        py[i] = s.y(population.score[i]);
        // a member the profile cannot time has no place on a latency axis
        if (!Number.isFinite(px[i])) continue;
        ctx.moveTo(px[i] + DOT_RADIUS, py[i]);
        ctx.arc(px[i], py[i], DOT_RADIUS, 0, 2 * Math.PI);
      }
      ctx.fill();
      drawn.current = { population, px, py };
      return population.count;
    },
    [x, predictor],
  );
  const describe = useCallback<PlotDescribe>(
    ({ population }) => {
      const name = chartName(x, population.count);
      if (population.count === 0) return { name, summary: 'No candidates yet: the reference networks and the budget are drawn.' };
      const column = xColumn(population, x, predictor);
      const range = extent(column);
      const spread = range.length === 0 ? 'none of them timed by the profile' : `from ${X_VALUE[x](range[0])} to ${X_VALUE[x](range[1])}`;
      // ranked: the best is the first
      const summary = `${formatCount(population.count)} candidates, ${spread}; the best scores ${population.score[0].toFixed(1)} at ${X_VALUE[x](column[0])}.`;
      return { name, summary };
    },
    [x, predictor],
  );
  const pick = (e: React.MouseEvent<HTMLCanvasElement>, area: PlotArea) => {
    const d = drawn.current;
    if (!d || d.population.count === 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    const [cx, cy] = [e.clientX - box.left + area.x, e.clientY - box.top + area.y];
    // members off the axis (not drawn) are never the nearest
    let [nearest, best] = [-1, Infinity];
    for (let i = 0; i < d.population.count; i++) {
      const distance = (d.px[i] - cx) ** 2 + (d.py[i] - cy) ** 2;
      if (distance < best) [nearest, best] = [i, distance];
    }
    if (nearest >= 0) useRunStore.getState().select(memberAt(d.population, nearest), e.shiftKey);
  };
  return <PlotCanvas scales={scales} draw={draw} watch={watchPopulation} label={candidatesLabel} describe={describe} className="population-dots" onPick={pick} />;
}

/** the population's members on the axis as points in x order (ties by score); Enter shows the member, Shift+Enter compares it */
function candidatePoints(population: MemberColumns, x: XAxisKey, predictor: LatencyPredictor | null): ChartPoint[] {
  const column = xColumn(population, x, predictor);
  const order = Array.from({ length: population.count }, (_, i) => i)
    .filter((i) => Number.isFinite(column[i]))
    .sort((a, b) => column[a] - column[b] || population.score[a] - population.score[b]);
  return order.map((i) => ({
    x: column[i],
    y: population.score[i],
    text: `score ${population.score[i].toFixed(3)}, ${formatGiga(population.flops[i])} FLOPs, ${formatMega(population.params[i])} params, ${population.layers[i]} layers`,
    pick: (compare) => {
      useRunStore.getState().select(memberAt(population, i), compare);
      return compare ? 'compared with the candidate shown' : 'shown as the candidate';
    },
  }));
}

const KEYS_HELP = 'On the chart: ← and → step through the candidates in x order, Home and End go to the ends; ↓ and ↑ go to the reference networks and back; Enter shows the candidate, Shift+Enter compares it.';

const Chart = memo(function Chart({
  x,
  predictor,
  budget,
  references,
  xDomain,
  yDomain,
}: {
  x: XAxisKey;
  predictor: LatencyPredictor | null;
  budget: number | null;
  references: Reference[];
  xDomain: [number, number];
  yDomain: [number, number];
}) {
  const yFormat = useMemo(() => scoreTickFormat(axisTicks(yDomain)), [yDomain]);
  return (
    <ChartFrame
      height={320}
      xDomain={xDomain}
      yDomain={yDomain}
      xFormat={tickLabel}
      yFormat={yFormat}
      xTitle={X_AXIS_LABEL[x]}
      yTitle="entropy score"
      marks={(scales) => <Landmarks scales={scales} budget={budget} references={references} />}
      overlay={(scales) => <PopulationDots x={x} predictor={predictor} scales={scales} />}
    />
  );
});

/**
 * The current population, score against FLOPs (or params, layers), with the budget and reference
 * nets. Before a run it shows the set-up being edited, so the chart is already mounted at Start.
 * A report redraws the dots' canvas only; the frame re-renders when an axis has to move.
 */
export function PopulationChart({ draftConfig }: { draftConfig: RunConfig | null }) {
  const [chosenX, setX] = useState<XAxisKey>('flops');
  // the population's spread is what a user watches; the far reference nets would squash it
  const [fit, setFit] = useState(true);
  // deferred: the frame re-renders for these in slices React can interrupt, after the report's task
  const hasPopulation = useDeferredValue(useRunStore((s) => s.population.count > 0));
  const config = useDeferredValue(useRunStore((s) => s.config)) ?? draftConfig;
  const predictor = usePredictor(config);
  // the latency axis needs a profile: without one the chart shows FLOPs
  const x = chosenX === 'latency' && !predictor ? 'flops' : chosenX;
  const references = useMemo(() => (config ? referencePoints(config, x, predictor) : NO_REFERENCES), [config, x, predictor]);
  const budget = config?.budgets[x] ?? null;
  const framed = fit && hasPopulation ? NO_REFERENCES : references;
  const readX = useCallback(({ population: p }: RunState) => [...extent(xColumn(p, x, predictor)), ...framed.map((r) => r.x), ...(budget === null ? [] : [budget])], [x, predictor, framed, budget]);
  const readY = useCallback(({ population: p }: RunState) => [...extent(p.score), ...framed.map((r) => r.y)], [framed]);
  const xDomain = useRunDomain(watchPopulation, readX);
  const yDomain = useRunDomain(watchPopulation, readY);
  // the keyboard's points, built when a key is pressed and kept while the population stays the same
  const candidates = useRef<{ population: MemberColumns; x: XAxisKey; predictor: LatencyPredictor | null; points: ChartPoint[] } | null>(null);
  const read = useCallback((): ChartSeries[] => {
    const { population } = useRunStore.getState();
    let cached = candidates.current;
    if (cached?.population !== population || cached.x !== x || cached.predictor !== predictor) cached = candidates.current = { population, x, predictor, points: candidatePoints(population, x, predictor) };
    const landmarks = references
      .map((r) => ({ x: r.x, y: r.y, text: `${r.label}: score ${r.y.toFixed(1)}, ${X_VALUE[x](r.x)}` }))
      .sort((a, b) => a.x - b.x || a.y - b.y);
    return [
      { name: 'candidate', points: cached.points },
      { name: 'reference network', points: landmarks },
    ];
  }, [x, predictor, references]);
  if (!config) return null;
  return (
    <section className="panel chart" data-testid="population-chart">
      <header>
        <h2>Population</h2>
        <label>
          x axis{' '}
          <select value={x} onChange={(e) => setX(e.target.value as XAxisKey)}>
            {(Object.keys(X_AXIS_LABEL) as XAxisKey[])
              .filter((k) => k !== 'latency' || predictor)
              .map((k) => (
                <option key={k} value={k}>
                  {X_AXIS_LABEL[k]}
                </option>
              ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={fit} onChange={(e) => setFit(e.target.checked)} /> fit the population
        </label>
      </header>
      {/* keyed by the axis: a current point in FLOPs means nothing on the params axis */}
      <ChartKeys key={x} name={chartName(x, null)} read={read} help={KEYS_HELP}>
        <Chart x={x} predictor={predictor} budget={budget} references={references} xDomain={xDomain} yDomain={yDomain} />
      </ChartKeys>
      <p className="legend">
        <span className="swatch population" /> population (click a point, or Enter on the chart; shift to compare) <span className="swatch reference" /> reference networks <span className="swatch budget" /> budget
      </p>
    </section>
  );
}
