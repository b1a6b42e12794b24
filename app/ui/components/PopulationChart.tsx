import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { RunConfig } from '../../engine/config';
import { memberAt, type MemberColumns } from '../../engine/evolution/codec';
import { flopsAt, layers, params } from '../../engine/cost';
import { findReferenceNetwork } from '../../engine/referenceNetworks';
import { madnas } from '../../engine/scores/madnas';
import { useRunStore, type RunState } from '../stores/runStore';
import { ChartFrame, type PlotArea, type Scales } from './ChartFrame';
import { scoreTick, tickLabel, X_AXIS_LABEL, type XAxisKey } from './charts';
import { PlotCanvas, type PlotDraw } from './PlotCanvas';
import { useRunDomain } from './useStableDomain';

const MARKERS = ['r50_det_seed', 'maedet_s', 'maedet_m', 'maedet_l', 'cls_r18_like', 'cls_r50_like', 'cls_r152_like'];
const NO_REFERENCES: Reference[] = [];
const DOT_RADIUS = 3;

interface Reference {
  x: number;
  y: number;
  label: string;
}

const watchPopulation = (s: RunState) => s.population;
const candidatesLabel = (n: number) => `${n} candidates`;

/** the smallest and largest of a column, or nothing for an empty one */
function extent(values: Float64Array): number[] {
  if (values.length === 0) return [];
  let [lo, hi] = [values[0], values[0]];
  for (const v of values) {
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return [lo, hi];
}

function referencePoints(config: RunConfig, x: XAxisKey): Reference[] {
  return MARKERS.map((name) => {
    const s = findReferenceNetwork(name)!;
    const value = x === 'flops' ? flopsAt(s.structure, config.imageSize) : x === 'params' ? params(s.structure) : layers(s.structure);
    return { x: value, y: madnas(s.structure, config.score.multiBlockRatio).total, label: s.label };
  });
}

/** The budget line and the reference networks as labelled diamonds; markers outside the plot are left out. */
function Landmarks({ scales, budget, references }: { scales: Scales; budget: number | null; references: Reference[] }) {
  const { area } = scales;
  const inside = (px: number, py: number) => px >= area.x && px <= area.x + area.width && py >= area.y && py <= area.y + area.height;
  const budgetX = budget === null ? undefined : scales.x(budget);
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
        const [px, py] = [scales.x(r.x), scales.y(r.y)];
        if (!inside(px, py)) return null;
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

/** The population as dots on a canvas, drawn from its columns; a click builds the nearest dot's member. */
function PopulationDots({ x, scales }: { x: XAxisKey; scales: Scales }) {
  const drawn = useRef<{ population: MemberColumns; px: Float32Array; py: Float32Array } | null>(null);
  const draw = useCallback<PlotDraw>(
    (ctx, { population }, s, colors) => {
      const column = population[x];
      const px = new Float32Array(population.count);
      const py = new Float32Array(population.count);
      ctx.fillStyle = colors.color;
      ctx.beginPath();
      for (let i = 0; i < population.count; i++) {
        px[i] = s.x(column[i]);
        py[i] = s.y(population.score[i]);
        ctx.moveTo(px[i] + DOT_RADIUS, py[i]);
        ctx.arc(px[i], py[i], DOT_RADIUS, 0, 2 * Math.PI);
      }
      ctx.fill();
      drawn.current = { population, px, py };
      return population.count;
    },
    [x],
  );
  const pick = (e: React.MouseEvent<HTMLCanvasElement>, area: PlotArea) => {
    const d = drawn.current;
    if (!d || d.population.count === 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    const [cx, cy] = [e.clientX - box.left + area.x, e.clientY - box.top + area.y];
    const distance = (i: number) => (d.px[i] - cx) ** 2 + (d.py[i] - cy) ** 2;
    let nearest = 0;
    for (let i = 1; i < d.population.count; i++) if (distance(i) < distance(nearest)) nearest = i;
    useRunStore.getState().select(memberAt(d.population, nearest), e.shiftKey);
  };
  return <PlotCanvas scales={scales} draw={draw} watch={watchPopulation} label={candidatesLabel} className="population-dots" onPick={pick} />;
}

const Chart = memo(function Chart({ x, budget, references, xDomain, yDomain }: { x: XAxisKey; budget: number | null; references: Reference[]; xDomain: [number, number]; yDomain: [number, number] }) {
  return (
    <ChartFrame
      height={320}
      xDomain={xDomain}
      yDomain={yDomain}
      xFormat={tickLabel}
      yFormat={scoreTick}
      xTitle={X_AXIS_LABEL[x]}
      yTitle="entropy score"
      marks={(scales) => <Landmarks scales={scales} budget={budget} references={references} />}
      overlay={(scales) => <PopulationDots x={x} scales={scales} />}
    />
  );
});

/**
 * The current population, score against FLOPs (or params, layers), with the budget and reference
 * nets. Before a run it shows the set-up being edited, so the chart is already mounted at Start.
 * A report redraws the dots' canvas only; the frame re-renders when an axis has to move.
 */
export function PopulationChart({ draftConfig }: { draftConfig: RunConfig | null }) {
  const [x, setX] = useState<XAxisKey>('flops');
  // the population's spread is what a user watches; the far reference nets would squash it
  const [fit, setFit] = useState(true);
  // deferred: the frame re-renders for these in slices React can interrupt, after the report's task
  const hasPopulation = useDeferredValue(useRunStore((s) => s.population.count > 0));
  const config = useDeferredValue(useRunStore((s) => s.config)) ?? draftConfig;
  const references = useMemo(() => (config ? referencePoints(config, x) : NO_REFERENCES), [config, x]);
  const budget = config?.budgets[x] ?? null;
  const framed = fit && hasPopulation ? NO_REFERENCES : references;
  const readX = useCallback(({ population: p }: RunState) => [...extent(p[x]), ...framed.map((r) => r.x), ...(budget === null ? [] : [budget])], [x, framed, budget]);
  const readY = useCallback(({ population: p }: RunState) => [...extent(p.score), ...framed.map((r) => r.y)], [framed]);
  const xDomain = useRunDomain(watchPopulation, readX);
  const yDomain = useRunDomain(watchPopulation, readY);
  if (!config) return null;
  return (
    <section className="panel chart" data-testid="population-chart">
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
