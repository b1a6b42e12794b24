import { memo, useDeferredValue, useState } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import type { RunConfig } from '../../engine/config';
import type { MemberRecord } from '../../engine/evolution/population';
import { flopsAt, layers, params } from '../../engine/network';
import { findReferenceNetwork } from '../../engine/networks';
import { madnas } from '../../engine/scores/madnas';
import { structureKey } from '../../engine/structure';
import { useRunStore } from '../stores/runStore';
import { paddedDomain, tickLabel, X_AXIS_LABEL, type XAxisKey } from './charts';

const MARKERS = ['r50_det_seed', 'maedet_s', 'maedet_m', 'maedet_l'];

interface Point {
  x: number;
  y: number;
  member: MemberRecord;
}

/**
 * The population as one SVG path (a recharts <Scatter> of 256 points costs ~100 ms a render, over
 * the 50 ms a frame may take); clicks find the nearest point.
 */
function PopulationDots({ points, onPick }: { points: Point[]; onPick: (m: MemberRecord, compare: boolean) => void }) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  if (!xScale || !yScale) return null;
  const pixels = points.map((p) => ({ px: xScale(p.x) ?? 0, py: yScale(p.y) ?? 0, member: p.member }));
  const d = pixels.map(({ px, py }) => `M${px.toFixed(1)} ${py.toFixed(1)}m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0`).join('');
  const pick = (e: React.MouseEvent<SVGPathElement>) => {
    const box = (e.currentTarget.ownerSVGElement ?? e.currentTarget).getBoundingClientRect();
    const [cx, cy] = [e.clientX - box.left, e.clientY - box.top];
    let best = pixels[0];
    for (const p of pixels) if ((p.px - cx) ** 2 + (p.py - cy) ** 2 < (best.px - cx) ** 2 + (best.py - cy) ** 2) best = p;
    if (best) onPick(best.member, e.shiftKey);
  };
  return <path d={d} className="population-dots" onClick={pick} role="img" aria-label={`${points.length} candidates`} />;
}

function referencePoints(config: RunConfig, x: XAxisKey) {
  return MARKERS.map((name) => {
    const s = findReferenceNetwork(name)!;
    const value = x === 'flops' ? flopsAt(s.structure, config.imageSize) : x === 'params' ? params(s.structure) : layers(s.structure);
    return { x: value, y: madnas(s.structure, config.score.multiBlockRatio).total, label: s.label };
  });
}

const Chart = memo(function Chart({ population, config, x }: { population: MemberRecord[]; config: RunConfig; x: XAxisKey }) {
  const select = useRunStore((s) => s.select);
  const points = population.map((m) => ({ x: m[x], y: m.score, member: m }));
  const references = referencePoints(config, x);
  const budget = config.budgets[x];
  const xs = [...points.map((p) => p.x), ...references.map((r) => r.x), ...(budget === null ? [] : [budget])];
  const ys = [...points.map((p) => p.y), ...references.map((r) => r.y)];
  return (
    <ResponsiveContainer width="100%" height={320}>
      <ScatterChart margin={{ top: 16, right: 24, bottom: 20, left: 10 }}>
        <CartesianGrid strokeOpacity={0.2} />
        <XAxis type="number" dataKey="x" name={X_AXIS_LABEL[x]} tickFormatter={tickLabel} domain={paddedDomain(xs)} allowDataOverflow interval={0} />
        <YAxis type="number" dataKey="y" name="entropy score" domain={paddedDomain(ys)} width={60} tickFormatter={(v: number) => v.toFixed(0)} allowDataOverflow interval={0} />
        {budget !== null && <ReferenceLine x={budget} stroke="#c0392b" strokeDasharray="4 4" label={{ value: 'budget', position: 'top' }} />}
        <Scatter name="reference nets" data={references} fill="#e67e22" shape="diamond" isAnimationActive={false} label={{ dataKey: 'label', position: 'right', fontSize: 11 }} />
        <PopulationDots points={points} onPick={(m, compare) => select(structureKey(m.structure), compare)} />
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
  // deferred: React renders it in interruptible slices, so the page never blocks on a chart
  const population = useDeferredValue(useRunStore((s) => s.population));
  const config = useRunStore((s) => s.config) ?? draftConfig;
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
      </header>
      <Chart population={population} config={config} x={x} />
      <p className="legend">
        <span className="swatch population" /> population (click a point; shift-click to compare) <span className="swatch reference" /> reference networks <span className="swatch budget" /> budget
      </p>
    </section>
  );
}
