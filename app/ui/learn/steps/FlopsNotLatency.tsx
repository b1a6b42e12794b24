/**
 * Step 5, second part: FLOPs are not latency. A dozen networks of the detection space, spread over
 * its FLOPs, timed end to end on this device in the scoring worker; FLOPs against the measured
 * time, and how well FLOPs (and the active profile's predictions) rank them: Kendall τ.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import type { Structure } from '../../../engine/block';
import { presetConfig } from '../../../engine/config';
import { flopsAt } from '../../../engine/cost';
import { Evaluator, mutateOptionsOf } from '../../../engine/evolution/search';
import { mutationWalks } from '../../../engine/evolution/walks';
import { Rng } from '../../../engine/rng';
import { kendallTau } from '../../../engine/stats';
import { NUMBER_AXIS, tickLabel } from '../../components/charts';
import { formatGiga, formatLatency } from '../../format';
import { LESSON_SETTING, measurementKey, measurementSetting, useLatencyStore, usePredictor } from '../../stores/latencyStore';

const MeasuredScatter = lazy(() => import('../../components/MeasuredScatter').then((m) => ({ default: m.MeasuredScatter })));

const PRESET = presetConfig('detection-r50');
/** networks timed: enough for a rank correlation, few enough for a minute or less on a laptop */
const SAMPLES = 12;
/** networks walked, of which SAMPLES are drawn */
const POOL = 300;
/** walk steps before a walk restarts from the seed (long walks drift to small networks) */
const WALK_LENGTH = 150;
/** the fewest points a rank correlation is shown for */
const MIN_POINTS = 3;
/** HELP (Lee et al., NeurIPS 2021): Kendall τ of FLOPs against measured latency on CPUs, in their tables */
const HELP_CPU_TAU = 0.83;
const LATENCY_AXIS = { title: 'measured latency (ms)', ...NUMBER_AXIS, value: formatLatency };

/**
 * Networks of the detection preset's space within its budgets, as a search meets them: POOL met
 * on mutation walks from its seed, SAMPLES of them drawn at random. A few milliseconds.
 */
function sampleNetworks(seed: number): Structure[] {
  const rng = Rng.fromSeed(seed);
  const evaluator = new Evaluator(PRESET);
  const pool: Structure[] = [];
  for (const { structure } of mutationWalks(PRESET.model.structure, rng, { mutate: mutateOptionsOf(PRESET), walkLength: WALK_LENGTH, accept: (s) => evaluator.costs(s) })) {
    pool.push(structure);
    if (pool.length === POOL) break;
  }
  // the first SAMPLES places of a Fisher–Yates shuffle: distinct networks, each as likely as any other
  const count = Math.min(SAMPLES, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

interface Timed {
  flops: number;
  /** the median, and the 10th and 90th percentiles of the samples */
  ms: number;
  p10: number;
  p90: number;
  /** the active profile's prediction; NaN without one to compare */
  predicted: number;
}

/**
 * The pair FLOPs order most wrongly beyond the timing's noise: the network with the most FLOPs
 * more that is still faster, its p90 below the other's p10; or null
 */
function reversedPair(points: readonly Timed[]): [Timed, Timed] | null {
  let found: [Timed, Timed] | null = null;
  for (const a of points) {
    for (const b of points) {
      if (a.flops < b.flops && a.p10 > b.p90 && (!found || b.flops / a.flops > found[1].flops / found[0].flops)) found = [a, b];
    }
  }
  return found;
}

const tauText = (tau: number | null) => (tau === null ? 'undefined (the values do not vary)' : tau.toFixed(2));

function Findings({ points, predicting }: { points: Timed[]; predicting: boolean }) {
  if (points.length < MIN_POINTS) {
    return <p className="hint">{points.length === 0 ? 'No network timed yet.' : `${points.length} timed: a rank correlation needs at least ${MIN_POINTS}.`}</p>;
  }
  const tau = kendallTau(
    points.map((p) => p.flops),
    points.map((p) => p.ms),
  );
  const predicted = points.filter((p) => Number.isFinite(p.predicted));
  const predictedTau =
    predicted.length >= MIN_POINTS
      ? kendallTau(
          predicted.map((p) => p.predicted),
          predicted.map((p) => p.ms),
        )
      : null;
  const pair = reversedPair(points);
  const lowest = Math.min(...points.map((p) => p.flops));
  const highest = Math.max(...points.map((p) => p.flops));
  return (
    <>
      <p data-testid="flops-latency-tau" data-value={tau ?? ''} data-points={points.length}>
        Over these {points.length} networks, Kendall τ between FLOPs and measured latency is <strong>{tauText(tau)}</strong> (1: FLOPs order them exactly as their
        times do; 0: no better than chance). Their FLOPs span {formatGiga(lowest)}FLOPs to {formatGiga(highest)}FLOPs, {(highest / lowest).toFixed(1)}×: the wider
        the span, the easier the ranking.
      </p>
      {pair ? (
        <p>
          One network needs {formatGiga(pair[0].flops)}FLOPs and takes {formatLatency(pair[0].ms)}; another needs {formatGiga(pair[1].flops)}FLOPs,{' '}
          {((100 * (pair[1].flops - pair[0].flops)) / pair[0].flops).toFixed(0)}% more, and takes {formatLatency(pair[1].ms)} (each beyond the other&apos;s
          p10–p90 spread of samples).
        </p>
      ) : (
        <p>
          {tau === 1
            ? 'Among these networks, more FLOPs always took longer: FLOPs ordered every pair as their times did.'
            : 'Where FLOPs and time order a pair differently here, their times lie within each other’s p10–p90 spread of samples: no reversal beyond the timing’s noise.'}
        </p>
      )}
      {predicting &&
        (predicted.length >= MIN_POINTS ? (
          <p data-testid="predicted-latency-tau" data-value={predictedTau ?? ''}>
            The active profile&apos;s predictions rank the same networks with τ = <strong>{tauText(predictedTau)}</strong> against the measured times ({predicted.length}{' '}
            predicted).
          </p>
        ) : (
          <p className="hint">The active profile predicts {predicted.length} of these networks: too few to rank.</p>
        ))}
    </>
  );
}

/** `computing`: the lesson worker is busy (the frontier above); timing now would share its cores */
export function FlopsNotLatency({ computing }: { computing: boolean }) {
  const predictor = usePredictor(null);
  // the networks are timed where the active profile was measured, so its predictions can be compared; else on wasm
  const profileSetting = useMemo(() => (predictor ? measurementSetting(predictor.profile) : null), [predictor]);
  const setting = profileSetting && typeof profileSetting !== 'string' ? profileSetting : LESSON_SETTING;
  const comparable = profileSetting && typeof profileSetting !== 'string' ? predictor : null;
  const [samples, setSamples] = useState<Structure[]>([]);
  const [round, setRound] = useState(0);
  const measurements = useLatencyStore((s) => s.measurements);
  const busy = useLatencyStore((s) => s.job !== null);
  const job = useLatencyStore((s) => (s.job?.origin === 'lesson' ? s.job : null));
  const error = useLatencyStore((s) => (s.error?.origin === 'lesson' ? s.error.message : null));
  const { measure, cancel } = useLatencyStore.getState();
  const points = useMemo(
    () =>
      samples.flatMap((s): Timed[] => {
        const m = measurements[measurementKey(s, setting)];
        return m ? [{ flops: flopsAt(s, setting.resolution), ms: m.medianMs, p10: m.p10Ms, p90: m.p90Ms, predicted: comparable?.predictMs(s) ?? NaN }] : [];
      }),
    [samples, measurements, setting, comparable],
  );
  const start = () => {
    const next = sampleNetworks(round);
    setSamples(next);
    setRound(round + 1);
    void measure(next, setting, 'lesson');
  };
  const side = setting.resolution;
  const where = `${setting.provider}${setting.provider === 'webgpu' ? '' : `, ${setting.threads} thread${setting.threads === 1 ? '' : 's'}`}, ${side}×${side} px, one image`;
  const flopsAxis = useMemo(() => ({ title: `FLOPs at ${side}×${side}`, value: (v: number) => `${formatGiga(v)}FLOPs`, tickFormat: () => tickLabel }), [side]);
  return (
    <section aria-labelledby="flops-latency" data-testid="flops-not-latency">
      <h3 id="flops-latency">FLOPs are not latency</h3>
      <p>
        A FLOPs budget stands in for a time budget only as far as FLOPs order networks by their time. FLOPs count multiply–adds; a layer&apos;s time
        also depends on how fast the device gets through them, and that rate differs from layer to layer. A 1×1 convolution does nine times fewer
        multiply–adds per value of its feature maps than a 3×3 convolution of the same channels, so a larger share of its time goes to moving those
        maps through memory. A depthwise convolution does k×k multiply–adds per output value instead of k×k times its input channels, so moving
        data, more than arithmetic, sets its time. Layers with few channels give the vector units and threads too little work to keep them busy.
        And every layer has a fixed cost — starting it, moving its tensors — that FLOPs do not count at all. So the order of FLOPs need not be the
        order of times, least of all between networks of similar FLOPs.
      </p>
      <p>
        How much this matters is a measurement. HELP (Lee et al., NeurIPS 2021) reports, in its tables, that on CPUs FLOPs rank networks by latency
        with a Kendall τ of about {HELP_CPU_TAU}. The button below takes {SAMPLES} networks of the detection space within the preset&apos;s budgets
        (drawn at random from {POOL} met on random mutation walks from its starting network), times each on this device ({where}), and ranks them.
      </p>
      <div className="widget">
        <div className="widget-controls">
          <button data-testid="measure-flops-latency" disabled={busy || computing} aria-describedby={computing ? 'why-wait-to-time' : undefined} onClick={start}>
            {round === 0 ? 'Measure on this device' : 'Measure other networks'}
          </button>
          {computing && (
            <span className="hint" id="why-wait-to-time">
              Waiting for the frontier above: its computation would share the cores being timed.
            </span>
          )}
          {predictor === null && <span className="hint">With an active device profile (Studio, under the set-up), its predictions are ranked too.</span>}
          {profileSetting && typeof profileSetting === 'string' && <span className="hint">{profileSetting}</span>}
        </div>
        {job && (
          <div className="lesson-progress" role="status">
            <progress value={job.done} max={job.total} aria-label="networks timed" />
            <span>
              timing network {job.done + 1} of {job.total}
            </span>
            <button onClick={cancel}>Cancel</button>
          </div>
        )}
        {error && <p className="field-error">{error}</p>}
        {samples.length > 0 && <Findings points={points} predicting={comparable !== null} />}
        {points.length > 0 && (
          <Suspense fallback={<p className="hint">loading the chart…</p>}>
            <MeasuredScatter
              name={`FLOPs against measured latency on this device, ${points.length} networks`}
              points={points.map((p) => ({ x: p.flops, y: p.ms }))}
              x={flopsAxis}
              y={LATENCY_AXIS}
            />
          </Suspense>
        )}
      </div>
    </section>
  );
}
