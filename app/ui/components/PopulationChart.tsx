import { memo, useDeferredValue, useMemo, useState } from 'react';
import { ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { RunConfig } from '../../engine/config';
import { flopsAt, layers, params } from '../../engine/network';
import { findReferenceNetwork } from '../../engine/networks';
import { madnas } from '../../engine/scores/madnas';
import { useRunStore } from '../stores/runStore';
import { scoreTick, tickLabel, X_AXIS_LABEL, type XAxisKey } from './charts';
import { GridLines } from './GridLines';
import { plainTick } from './PlainTick';
import { useAxisTicks, useStableDomain } from './useStableDomain';

const MARKERS = ['r50_det_seed', 'maedet_s', 'maedet_m', 'maedet_l', 'cls_r18_like', 'cls_r50_like', 'cls_r152_like'];
// constants, so the memoised chart sees the same props between updates
const MARGIN = { top: 16, right: 24, bottom: 20, left: 10 };
const NO_POINTS: never[] = [];

interface Reference {
  x: number;
  y: number;
  label: string;
}

/** the population as read by the charts: deferred, so React renders it in interruptible slices */
const usePopulation = () => useDeferredValue(useRunStore((s) => s.population));

/**
 * The population as one SVG path (a recharts <Scatter> of 256 points costs ~100 ms a render, over
 * the 50 ms a frame may take); clicks find the nearest point. It follows the store by itself, so
 * a new population redraws this path and leaves the axes alone.
 */
function PopulationDots({ x }: { x: XAxisKey }) {
  const population = usePopulation();
  const select = useRunStore((s) => s.select);
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  if (!xScale || !yScale) return null;
  const pixels = population.map((m) => ({ px: xScale(m[x]) ?? 0, py: yScale(m.score) ?? 0, member: m }));
  const d = pixels.map(({ px, py }) => `M${px.toFixed(1)} ${py.toFixed(1)}m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0`).join('');
  const pick = (e: React.MouseEvent<SVGPathElement>) => {
    const box = (e.currentTarget.ownerSVGElement ?? e.currentTarget).getBoundingClientRect();
    const [cx, cy] = [e.clientX - box.left, e.clientY - box.top];
    let best = pixels[0];
    for (const p of pixels) if ((p.px - cx) ** 2 + (p.py - cy) ** 2 < (best.px - cx) ** 2 + (best.py - cy) ** 2) best = p;
    if (best) select(best.member, e.shiftKey);
  };
  return <path d={d} className="population-dots" onClick={pick} role="img" aria-label={`${population.length} candidates`} />;
}

function referencePoints(config: RunConfig, x: XAxisKey): Reference[] {
  return MARKERS.map((name) => {
    const s = findReferenceNetwork(name)!;
    const value = x === 'flops' ? flopsAt(s.structure, config.imageSize) : x === 'params' ? params(s.structure) : layers(s.structure);
    return { x: value, y: madnas(s.structure, config.score.multiBlockRatio).total, label: s.label };
  });
}

/**
 * The budget line and the reference networks as labelled diamonds, drawn on the chart's scales
 * (recharts' <Scatter> labels and <ReferenceLine> were most of a chart update's work). Markers
 * outside the axes are left out.
 */
function Landmarks({ budget, references }: { budget: number | null; references: Reference[] }) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  const area = usePlotArea();
  if (!xScale || !yScale || !area) return null;
  const inside = (px: number, py: number) => px >= area.x && px <= area.x + area.width && py >= area.y && py <= area.y + area.height;
  const budgetX = budget === null ? undefined : xScale(budget);
  return (
    <g className="landmarks">
      {budgetX !== undefined && budgetX >= area.x && budgetX <= area.x + area.width && (
        <g className="budget-line">
          <line x1={budgetX} x2={budgetX} y1={area.y} y2={area.y + area.height} />
          <text x={budgetX} y={area.y - 4} textAnchor="middle">
            budget
          </text>
        </g>
      )}
      {references.map((r) => {
        const px = xScale(r.x);
        const py = yScale(r.y);
        if (px === undefined || py === undefined || !inside(px, py)) return null;
        return (
          <g key={r.label} className="reference-marker">
            <path d={`M${px} ${py - 6}l5 6l-5 6l-5 -6z`} />
            <text x={px + 8} y={py + 4}>
              {r.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

const Chart = memo(function Chart({ x, budget, references, xDomain, yDomain }: { x: XAxisKey; budget: number | null; references: Reference[]; xDomain: [number, number]; yDomain: [number, number] }) {
  const xTicks = useAxisTicks(xDomain);
  const yTicks = useAxisTicks(yDomain);
  return (
    <ResponsiveContainer width="100%" height={320}>
      <ScatterChart margin={MARGIN}>
        <GridLines xTicks={xTicks} yTicks={yTicks} />
        <XAxis type="number" dataKey="x" name={X_AXIS_LABEL[x]} tickFormatter={tickLabel} tick={plainTick} domain={xDomain} ticks={xTicks} allowDataOverflow interval={0} />
        <YAxis type="number" dataKey="y" name="entropy score" domain={yDomain} ticks={yTicks} width={60} tickFormatter={scoreTick} tick={plainTick} allowDataOverflow interval={0} />
        <Scatter data={NO_POINTS} isAnimationActive={false} />
        <Landmarks budget={budget} references={references} />
        <PopulationDots x={x} />
      </ScatterChart>
    </ResponsiveContainer>
  );
});

/**
 * The current population, score against FLOPs (or params, layers), with the budget and reference
 * nets. Before a run it shows the set-up being edited, so the chart is already mounted at Start.
 */
export function PopulationChart({ draftConfig }: { draftConfig: RunConfig | null }) {
  const [x, setX] = useState<XAxisKey>('flops');
  // the population's spread is what a user watches; the far reference nets would squash it
  const [fit, setFit] = useState(true);
  const population = usePopulation();
  const config = useRunStore((s) => s.config) ?? draftConfig;
  const references = useMemo(() => (config ? referencePoints(config, x) : []), [config, x]);
  const budget = config?.budgets[x] ?? null;
  const framed = fit && population.length > 0 ? [] : references;
  const xDomain = useStableDomain([...population.map((m) => m[x]), ...framed.map((r) => r.x), ...(budget === null ? [] : [budget])]);
  const yDomain = useStableDomain([...population.map((m) => m.score), ...framed.map((r) => r.y)]);
  if (!config) return null;
  return (
    <section className="panel chart" data-testid="population-chart" data-points={population.length}>
      <header>
        <h2>Population</h2>
        <label>
          x axis{' '}
          <select value={x} onChange={(e) => setX(e.target.value as XAxisKey)}>
            {(Object.keys(X_AXIS_LABEL) as XAxisKey[]).map((k) => (
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
      <Chart x={x} budget={budget} references={references} xDomain={xDomain} yDomain={yDomain} />
      <p className="legend">
        <span className="swatch population" /> population (click a point; shift-click to compare) <span className="swatch reference" /> reference networks <span className="swatch budget" /> budget
      </p>
    </section>
  );
}
