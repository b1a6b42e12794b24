import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import { ConfigError } from '../../../engine/errors';
import { DEFAULT_PROBE_OPTIONS, MAX_PROBE_CIN, PROBE_KERNELS, resolveConvProbeOptions, type ConvProbeResult } from '../../../engine/onnx/convProbe';
import { scoreWorkerCall } from '../../../../workers/scoreClient';
import { ChartKeys, CurrentPointRing, type ChartPoint, type ChartSeries } from '../../components/ChartKeys';
import { GridLines } from '../../components/GridLines';
import { plainTick, useFittedXTicks, type FittedAxis } from '../../components/PlainTick';
import { formatCount } from '../../format';
import { useEntropyStore } from '../../stores/entropyStore';
import { TeX } from '../TeX';
import './convStd.css';
import './lessonSteps.css';

/** a burst of keystrokes or arrow presses runs one conv, for the last value */
const DEBOUNCE_MS = 150;
/** the chart keeps the latest measurements, one SVG path whatever their number */
const MAX_POINTS = 200;
/**
 * Both axes: from below the smallest std (k = 1, C_in = 1 scatters by ±18 %) to above the largest
 * prediction, 7·√512 ≈ 158
 */
const DOMAIN: [number, number] = [0.3, 300];
const TICKS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200];
/** the decades alone, for a chart too narrow for every tick */
const DECADE_TICKS = [1, 10, 100];
const MARGIN = { top: 10, right: 20, bottom: 24, left: 0 };
const Y_AXIS_WIDTH = 70;
const CONTROL_LABELS: Record<string, string> = { k: 'Kernel size', cin: 'Input channels' };

/** an error as a sentence: a rejected option names its control, anything else says what failed */
function explain(e: unknown): string {
  if (e instanceof ConfigError) return `${CONTROL_LABELS[e.path] ?? e.path}: ${e.reason}.`;
  return `The conv could not run in the scoring worker: ${e instanceof Error ? e.message : String(e)}.`;
}

const tickText = (value: number) => String(value);

/** the x axis on the log scale recharts draws: all ticks where they fit, else the decades */
const LOG_X_AXIS: FittedAxis = {
  ticks: (count) => (count >= 6 ? TICKS : DECADE_TICKS),
  format: tickText,
  fraction: (v) => (Math.log(v) - Math.log(DOMAIN[0])) / (Math.log(DOMAIN[1]) - Math.log(DOMAIN[0])),
};

/** both axes: log scale over the same domain */
const LOG_AXIS = { type: 'number', scale: 'log', domain: DOMAIN, interval: 0, allowDataOverflow: true, tickFormatter: tickText } as const;

/** the runs take a few milliseconds, timed to the millisecond */
const formatMs = (ms: number) => (ms < 1 ? 'under 1 ms' : `${ms} ms`);

/** every measurement as a dot (the latest ringed) and the line y = x, on the chart's scales */
function Measurements({ points }: { points: readonly ConvProbeResult[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  const at = (p: ConvProbeResult) => `M${(x(p.predictedStd) ?? 0).toFixed(1)} ${(y(p.outputStd) ?? 0).toFixed(1)}`;
  const dot = (r: number) => `m-${r} 0a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 -${2 * r} 0`;
  const latest = points.at(-1);
  const ring = (p: ChartPoint) => {
    const [px, py] = [x(p.x), y(p.y)];
    return px === undefined || py === undefined ? null : ([px, py] as const);
  };
  return (
    <g>
      <path className="conv-identity" d={`M${x(DOMAIN[0])} ${y(DOMAIN[0])}L${x(DOMAIN[1])} ${y(DOMAIN[1])}`} />
      <path className="conv-points" d={points.map((p) => at(p) + dot(3.5)).join('')} role="img" aria-label={`${points.length} measurements`} />
      {latest && <path className="conv-latest" d={at(latest) + dot(6)} />}
      <CurrentPointRing position={ring} />
    </g>
  );
}

const Chart = memo(function Chart({ points }: { points: readonly ConvProbeResult[] }) {
  const [width, setWidth] = useState(0);
  const { values: xValues, tick: xTick } = useFittedXTicks(width, MARGIN.left + Y_AXIS_WIDTH, MARGIN.right, LOG_X_AXIS);
  return (
    <ResponsiveContainer width="100%" height={300} onResize={setWidth}>
      <ScatterChart margin={MARGIN} accessibilityLayer={false}>
        <GridLines xTicks={xValues} yTicks={TICKS} />
        <XAxis {...LOG_AXIS} dataKey="x" ticks={xValues} tick={xTick} label={{ value: 'predicted std  σx·√(k²·c_in)', position: 'insideBottom', offset: -14 }} />
        <YAxis {...LOG_AXIS} dataKey="y" ticks={TICKS} tick={plainTick} width={Y_AXIS_WIDTH} label={{ value: 'measured std', angle: -90, position: 'insideLeft', offset: 8, textAnchor: 'middle' }} />
        <Scatter data={[]} isAnimationActive={false} />
        <Measurements points={points} />
      </ScatterChart>
    </ResponsiveContainer>
  );
});

/** a run in words, for the keyboard's readout */
const runText = (p: ConvProbeResult) =>
  `${p.k}×${p.k} kernel, ${p.cin} input channels: measured std ${p.outputStd.toFixed(3)}, predicted ${p.predictedStd.toFixed(3)}, ratio ${(p.outputStd / p.predictedStd).toFixed(3)}`;

/** the chart's key numbers: the runs, the latest, the spread of the ratios */
function chartSummary(points: readonly ConvProbeResult[]): string {
  const latest = points.at(-1);
  if (!latest) return 'No runs yet.';
  const ratios = points.map((p) => p.outputStd / p.predictedStd);
  return `${points.length} ${points.length === 1 ? 'run' : 'runs'}; the latest (ringed): measured std ${latest.outputStd.toFixed(3)}, predicted ${latest.predictedStd.toFixed(3)}; measured/predicted from ${Math.min(...ratios).toFixed(3)} to ${Math.max(...ratios).toFixed(3)}.`;
}

/**
 * Step 2: a conv with N(0, 1) weights multiplies the std by √fan-in, so the log std, which the
 * entropy of a Gaussian grows with, gains ln √fan-in per conv — in the stripped network the score
 * assumes (no BN, no ReLU, main path only, renormalised after each conv). The user picks k and C_in;
 * each choice runs one conv in the scoring worker (onnxruntime-web) and adds its measured std,
 * against the prediction, to a log-log chart.
 */
export function ConvStd() {
  const threads = useEntropyStore((s) => s.settings.threads);
  const [k, setK] = useState(3);
  const [cinText, setCinText] = useState('16');
  /** bumped by "draw new numbers": the same k and C_in with fresh numbers */
  const [draws, setDraws] = useState(0);
  const [points, setPoints] = useState<ConvProbeResult[]>([]);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  /** the latest request; older answers are dropped. Also the seed, so every run draws anew */
  const request = useRef(0);

  // the engine's own check, on the page: a typo is explained at once, without a worker round trip
  const checked = useMemo(() => {
    // an empty field is reported as "found nothing", not as 0
    const cin = cinText.trim() === '' ? undefined : Number(cinText);
    try {
      return { options: resolveConvProbeOptions({ k, cin: cin as number }), invalid: null };
    } catch (e) {
      return { options: null, invalid: explain(e) };
    }
  }, [k, cinText]);
  const { invalid } = checked;

  useEffect(() => {
    const { options } = checked;
    if (!options) return;
    const id = ++request.current;
    const timer = setTimeout(async () => {
      setRunning(true);
      try {
        const result = await scoreWorkerCall(threads, (api) => api.convStd({ ...options, seed: id, threads }));
        if (id !== request.current) return;
        setPoints((previous) => [...previous.slice(1 - MAX_POINTS), result]);
        setFailure(null);
      } catch (e) {
        if (id === request.current) setFailure(explain(e));
      } finally {
        if (id === request.current) setRunning(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [checked, draws, threads]);

  const latest = points.at(-1);
  const error = invalid ?? failure;
  const readRuns = useCallback(
    (): ChartSeries[] => [{ name: 'run', points: [...points].sort((a, b) => a.predictedStd - b.predictedStd || a.outputStd - b.outputStd).map((p) => ({ x: p.predictedStd, y: p.outputStd, text: runText(p) })) }],
    [points],
  );
  return (
    <>
      <p>
        MAE-DET&apos;s score starts from a fact about Gaussians. With Gaussian weights and a Gaussian input, each feature is close to Gaussian,
        and a Gaussian of std <TeX>{String.raw`\sigma`}</TeX> has the differential entropy
      </p>
      <TeX block>{String.raw`h = \tfrac12 \ln\!\left(2\pi e\,\sigma^2\right) = \ln\sigma + \tfrac12\ln(2\pi e),`}</TeX>
      <p>
        so entropy grows with <TeX>{String.raw`\ln\sigma`}</TeX>, and the score compares log stds. A conv without bias or padding sums{' '}
        <TeX>{String.raw`k^2 c_\text{in}`}</TeX> independent products of a weight and an input, so their variances add:
      </p>
      <TeX block>{String.raw`\operatorname{Var}(y) = k^2 c_\text{in}\,\operatorname{Var}(\text{weight})\,\operatorname{Var}(x) \quad\Rightarrow\quad \sigma_y = \sigma_x\sqrt{k^2 c_\text{in}} \ \text{ for weights} \sim \mathcal N(0, 1).`}</TeX>
      <p>
        Each conv multiplies the std by <TeX>{String.raw`\sqrt{\text{fan-in}}`}</TeX> and adds <TeX>{String.raw`\ln\sqrt{\text{fan-in}}`}</TeX> to
        the log std. This is the stripped network of step 1, and each of its choices matters: the weights are{' '}
        <TeX>{String.raw`\mathcal N(0, 1)`}</TeX> on purpose — the He initialisation a trained network starts from,{' '}
        <TeX>{String.raw`\mathcal N(0, 2/\text{fan-in})`}</TeX>, would give <TeX>{String.raw`\sigma_y = \sqrt2\,\sigma_x`}</TeX> whatever the
        fan-in, and the gains would no longer grow with width; there is no BN, which would reset the std to 1, and no ReLU, which would scale
        it by a constant (√(½ − 1/2π) ≈ 0.58); only the main path of a block counts (a shortcut added to it would change the std); and the
        features are divided by their std after every conv, so each conv&apos;s gain is counted from a unit input. Then the log std of a stage&apos;s output is a sum of{' '}
        <TeX>{String.raw`\ln\sqrt{\text{fan-in}}`}</TeX> terms, and the analytic score needs no forward pass. Check the rule below: every change
        runs one conv ({DEFAULT_PROBE_OPTIONS.cout} output channels on a {DEFAULT_PROBE_OPTIONS.size}×{DEFAULT_PROBE_OPTIONS.size} input, no
        padding, <TeX>{String.raw`\mathcal N(0, 1)`}</TeX> weights) on ONNX Runtime in a worker.
      </p>
      <div className="widget conv-std" data-testid="conv-std" aria-busy={running}>
        <div className="widget-controls">
          <label>
            kernel size{' '}
            <select aria-label="kernel size" value={k} onChange={(e) => setK(Number(e.target.value))}>
              {PROBE_KERNELS.map((size) => (
                <option key={size} value={size}>
                  {size}×{size}
                </option>
              ))}
            </select>
          </label>
          <label>
            input channels{' '}
            <input type="number" aria-label="input channels" min={1} max={MAX_PROBE_CIN} step={1} value={cinText} aria-invalid={invalid !== null} onChange={(e) => setCinText(e.target.value)} />
          </label>
          <button onClick={() => setDraws((n) => n + 1)} disabled={invalid !== null}>
            draw new numbers
          </button>
          <button onClick={() => setPoints([])} disabled={points.length === 0}>
            clear the chart
          </button>
          {running && <span className="hint">running the conv…</span>}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <ChartKeys name={`Measured against predicted std of the conv's output, log–log, ${points.length} ${points.length === 1 ? 'run' : 'runs'}`} summary={chartSummary(points)} read={readRuns}>
          <Chart points={points} />
        </ChartKeys>
        <p className="hint">
          Each dot is one run (the latest ringed); on the line, measured = predicted. Dots stray furthest at a small fan-in: the prediction is an average over
          the random weights, and a 1×1 conv of one channel has only {DEFAULT_PROBE_OPTIONS.cout} of them.
        </p>
        {latest && (
          <dl className="stats rows">
            <dt>Measured std σy</dt>
            <dd data-testid="conv-measured" data-value={latest.outputStd} data-predicted={latest.predictedStd} data-ms={latest.ms}>
              {latest.outputStd.toFixed(3)}, predicted {latest.predictedStd.toFixed(3)} = {latest.inputStd.toFixed(3)} × √({latest.k}²·{latest.cin}) (ratio{' '}
              {(latest.outputStd / latest.predictedStd).toFixed(3)}, sampling spread ±{(100 * latest.spread).toFixed(1)} %)
            </dd>
            <dt>Log std gained, ln σy − ln σx</dt>
            <dd>
              {Math.log(latest.outputStd / latest.inputStd).toFixed(3)} nats; ln √fan-in = {(0.5 * Math.log(latest.fanIn)).toFixed(3)}
            </dd>
            <dt>Run</dt>
            <dd>
              {formatMs(latest.ms)} for the conv ({formatMs(latest.totalMs)} with drawing the numbers and loading the graph), {formatCount(latest.outputs)} outputs, seed{' '}
              {latest.seed}
            </dd>
          </dl>
        )}
      </div>
    </>
  );
}
