import { useEffect, useMemo, useRef } from 'react';
import { proxyLabel, type ProxyName } from '../../engine/benchmark/validation';
import { ChartFrame, type Scales } from '../components/ChartFrame';
import { ChartKeys, type ChartPoint, type ChartSeries } from '../components/ChartKeys';
import { plotContext } from '../components/PlotCanvas';
import { axisTicks, scoreTickFormat, stableDomain, tickLabel } from '../components/charts';
import { formatCount } from '../format';
import { shownProxies, useValidationStore, type BenchmarkView } from '../stores/validationStore';
import { accuracyText, countText, proxyValueText } from './units';

const HEIGHT = 360;
const RADIUS = 2;
/** FLOPs colour classes: quintiles of the benchmark's FLOPs (validate.css: --flops-0 … --flops-4) */
const BINS = 5;

/** the smallest and largest of values, and an axis domain around them */
function rangeOf(values: Float64Array): { lo: number; hi: number; domain: [number, number] } {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi, domain: stableDomain(null, lo <= hi ? [lo, hi] : []) };
}

/** the FLOPs at the quintiles' edges, and each network's quintile */
function flopsBins(flops: Float64Array): { edges: number[]; bin: Uint8Array } {
  const sorted = Float64Array.from(flops).sort();
  const edges = Array.from({ length: BINS - 1 }, (_, i) => sorted[Math.floor(((i + 1) / BINS) * sorted.length)]);
  const bin = new Uint8Array(flops.length);
  for (let i = 0; i < flops.length; i++) {
    let b = 0;
    while (b < edges.length && flops[i] >= edges[b]) b++;
    bin[i] = b;
  }
  return { edges, bin };
}

/** the legend's words for a quintile */
function binRange(edges: readonly number[], b: number): string {
  if (b === 0) return `< ${countText(edges[0])}`;
  if (b === edges.length) return `≥ ${countText(edges[b - 1])}`;
  return `${countText(edges[b - 1])} – ${countText(edges[b])}`;
}

/**
 * Every network as a dot on one canvas over the frame's plot area, drawn in one pass per FLOPs
 * quintile (one fill each): no element per point, so 20,000 networks draw in a frame. Redrawn
 * when the data, the frame or the theme change; a click selects the nearest dot's network.
 */
function Dots({ scales, xs, ys, bin, label }: { scales: Scales; xs: Float64Array; ys: Float64Array; bin: Uint8Array; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drawn = useRef<{ px: Float32Array; py: Float32Array } | null>(null);
  const { area } = scales;
  useEffect(() => {
    const canvas = ref.current!;
    let frame = 0;
    const paint = () => {
      frame = 0;
      const ctx = plotContext(canvas, area);
      const n = xs.length;
      const px = new Float32Array(n);
      const py = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        px[i] = scales.x(xs[i]);
        py[i] = scales.y(ys[i]);
      }
      const style = getComputedStyle(canvas);
      for (let b = 0; b < BINS; b++) {
        ctx.fillStyle = style.getPropertyValue(`--flops-${b}`);
        // squares: at this size they read as dots, and 20,000 of them fill in a few ms where
        // as many arcs in one path took the frame past 50 ms
        for (let i = 0; i < n; i++) if (bin[i] === b) ctx.fillRect(px[i] - RADIUS, py[i] - RADIUS, 2 * RADIUS, 2 * RADIUS);
      }
      drawn.current = { px, py };
    };
    const schedule = () => void (frame ||= requestAnimationFrame(paint));
    schedule();
    const theme = new MutationObserver(schedule);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      theme.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [scales, area, xs, ys, bin]);
  const pick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const d = drawn.current;
    if (!d) return;
    const box = e.currentTarget.getBoundingClientRect();
    const [cx, cy] = [e.clientX - box.left + area.x, e.clientY - box.top + area.y];
    let [nearest, best] = [-1, Infinity];
    for (let i = 0; i < d.px.length; i++) {
      const distance = (d.px[i] - cx) ** 2 + (d.py[i] - cy) ** 2;
      if (distance < best) [nearest, best] = [i, distance];
    }
    if (nearest >= 0) void useValidationStore.getState().select(nearest);
  };
  return <canvas ref={ref} className="validation-dots" data-testid="validation-dots" style={{ left: area.x, top: area.y, width: area.width, height: area.height }} role="img" aria-label={label} onClick={pick} />;
}

/** a ring on the network shown */
function SelectedRing({ scales, xs, ys }: { scales: Scales; xs: Float64Array; ys: Float64Array }) {
  const index = useValidationStore((s) => s.selected?.index ?? null);
  if (index === null || index >= xs.length) return null;
  return (
    <svg className="chart-ring-layer" width={scales.width} height={scales.height} aria-hidden="true">
      <circle className="selected-ring" cx={scales.x(xs[index])} cy={scales.y(ys[index])} r={6} />
    </svg>
  );
}

/** every network as a point the keyboard can land on, in x order (ties by accuracy); Enter shows it */
function keyboardPoints(benchmark: BenchmarkView, name: ProxyName, xs: Float64Array): ChartPoint[] {
  const ys = benchmark.accuracy;
  const order = Array.from({ length: xs.length }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || ys[a] - ys[b]);
  return order.map((i) => ({
    x: xs[i],
    y: ys[i],
    text: `${benchmark.ids[i]}: ${proxyLabel(name)} ${proxyValueText(name, xs[i])}, accuracy ${accuracyText(benchmark, ys[i])}, ${countText(benchmark.flops[i])} FLOPs`,
    pick: () => {
      void useValidationStore.getState().select(i);
      return 'shown beside the chart';
    },
  }));
}

/** Accuracy against a proxy for every network, coloured by FLOPs; click (or Enter on the chart) shows a network. */
export function ValidationScatter({ benchmark }: { benchmark: BenchmarkView }) {
  const proxies = useValidationStore((s) => s.proxies);
  // the chosen proxy, or the score while it has no values (entropy before it is measured)
  const column = useValidationStore((s) => s.proxies[s.xProxy] ?? s.proxies.madnas!);
  const setXProxy = useValidationStore((s) => s.setXProxy);
  const name: ProxyName = column.name;
  const xs = column.values;
  const ys = benchmark.accuracy;
  const xRange = useMemo(() => rangeOf(xs), [xs]);
  const yRange = useMemo(() => rangeOf(ys), [ys]);
  const [xDomain, yDomain] = [xRange.domain, yRange.domain];
  const yFormat = useMemo(() => scoreTickFormat(axisTicks(yDomain)), [yDomain]);
  const xFormat = useMemo(() => (name === 'flops' || name === 'params' ? tickLabel : scoreTickFormat(axisTicks(xDomain))), [name, xDomain]);
  const { edges, bin } = useMemo(() => flopsBins(benchmark.flops), [benchmark.flops]);
  const count = formatCount(xs.length);
  const title = `Accuracy against ${proxyLabel(name)}, ${count} networks`;
  // the keyboard's points, built at the first key press and kept while the axis stays the same
  const read = useMemo(() => {
    let points: ChartPoint[] | null = null;
    return (): ChartSeries[] => [{ name: 'network', points: (points ??= keyboardPoints(benchmark, name, xs)) }];
  }, [benchmark, name, xs]);
  const summary = `${count} networks; ${proxyLabel(name)} from ${proxyValueText(name, xRange.lo)} to ${proxyValueText(name, xRange.hi)}, accuracy from ${accuracyText(benchmark, yRange.lo)} to ${accuracyText(benchmark, yRange.hi)}. Colour: the network's FLOPs, by fifths of the benchmark.`;
  return (
    <section className="panel chart validation-scatter" aria-labelledby="scatter-title" data-testid="validation-scatter">
      <header>
        <h2 id="scatter-title">Accuracy against the proxy</h2>
        <label>
          x axis{' '}
          <select value={name} onChange={(e) => setXProxy(e.target.value as ProxyName)} data-testid="scatter-proxy">
            {shownProxies(proxies).map((p) => (
              <option key={p.name} value={p.name}>
                {proxyLabel(p.name)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <ChartKeys key={name} name={title} summary={summary} read={read} help="On the chart: ← and → step through the networks in x order, Home and End go to the ends, Page Up and Page Down jump a tenth; Enter shows the network.">
        <ChartFrame
          height={HEIGHT}
          xDomain={xDomain}
          yDomain={yDomain}
          xFormat={xFormat}
          yFormat={yFormat}
          xTitle={proxyLabel(name)}
          yTitle={benchmark.kind === 'nas-bench-macro' ? 'accuracy (%)' : 'accuracy'}
          overlay={(scales) => (
            <>
              <Dots scales={scales} xs={xs} ys={ys} bin={bin} label={title} />
              <SelectedRing scales={scales} xs={xs} ys={ys} />
            </>
          )}
        />
      </ChartKeys>
      <ul className="flops-legend" aria-label="colour: FLOPs">
        <li className="hint">FLOPs:</li>
        {Array.from({ length: BINS }, (_, b) => (
          <li key={b}>
            <span className={`swatch flops-swatch flops-${b}`} />
            {binRange(edges, b)}
          </li>
        ))}
      </ul>
    </section>
  );
}
