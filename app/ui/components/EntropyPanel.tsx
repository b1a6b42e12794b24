import { lazy, Suspense, useDeferredValue, useState } from 'react';
import { CONFIG_FIELDS, type FieldPath, type NumberField } from '../../engine/configFields';
import { pearson } from '../../engine/stats';
import { useEntropyStore } from '../stores/entropyStore';
import { useRunStore } from '../stores/runStore';
import { ActionButton } from './ActionButton';
import type { ProviderChoice } from '../../../workers/scoreApi';
import { firstMembers } from '../../engine/evolution/codec';
import { NUMBER_AXIS } from './charts';

const MeasuredScatter = lazy(() => import('./MeasuredScatter').then((m) => ({ default: m.MeasuredScatter })));
const ANALYTIC_AXIS = { title: 'analytic score', ...NUMBER_AXIS };
const MEASURED_AXIS = { title: 'measured entropy', ...NUMBER_AXIS };

/** a setting's limits, from the engine's table of config fields */
const limits = (path: FieldPath) => {
  const { min, max } = CONFIG_FIELDS[path] as NumberField;
  return { min, max };
};

function NumberSetting({ label, value, min, max, onChange }: { label: string; value: number; min: number; max: number; onChange: (v: number) => void }) {
  const [text, setText] = useState(String(value));
  const n = Number(text);
  const valid = Number.isInteger(n) && n >= min && n <= max;
  return (
    <label className="setting">
      {label}
      <input
        value={text}
        inputMode="numeric"
        aria-invalid={!valid}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (Number.isInteger(v) && v >= min && v <= max) onChange(v);
        }}
      />
      {!valid && <span className="field-error">a whole number from {min} to {max}</span>}
    </label>
  );
}

/**
 * MAE-DET's original score, measured: a forward pass with Gaussian weights on onnxruntime-web,
 * for the top candidates, plotted against the analytic score so the formula can be checked.
 */
export function EntropyPanel() {
  const { settings, measurements, job, error, setSetting, measure, cancel } = useEntropyStore();
  // a boolean, not the population: this panel must not re-render on every progress report
  const hasPopulation = useDeferredValue(useRunStore((s) => s.population.count > 0));
  // read when measuring: following the run's config would re-render this panel (and its chart) at every Start
  const measureTop = () => {
    const { population, config } = useRunStore.getState();
    if (config) void measure(firstMembers(population, topK), config.score.multiBlockRatio);
  };
  const [topK, setTopK] = useState(8);
  const points = Object.values(measurements).map((m) => ({ x: m.analytic, y: m.result.mean }));
  const r = pearson(
    points.map((p) => p.x),
    points.map((p) => p.y),
  );
  const last = Object.values(measurements).at(-1);
  return (
    <section className="panel entropy" aria-label="Measured entropy">
      <h2>Measured entropy</h2>
      <p className="hint">
        The score as the MAE-DET paper measured it, run here on ONNX Runtime Web: a forward pass of random input with N(0, 1) weights (BN, ReLU and
        shortcuts skipped), the log std of each stage&apos;s output plus ln of its channels, weighted by stage. The analytic score (madnas) matches it
        up to the zero padding at the borders, without running the network.
      </p>
      <div className="settings">
        <NumberSetting label="Batch" value={settings.batch} {...limits('score.entropy.batch')} onChange={(v) => setSetting('batch', v)} />
        <NumberSetting label="Resolution" value={settings.resolution} {...limits('score.entropy.resolution')} onChange={(v) => setSetting('resolution', v)} />
        <NumberSetting label="Repeats" value={settings.repeats} {...limits('score.entropy.repeats')} onChange={(v) => setSetting('repeats', v)} />
        <NumberSetting label="Threads" value={settings.threads} min={1} max={Math.max(1, navigator.hardwareConcurrency ?? 1)} onChange={(v) => setSetting('threads', v)} />
        <NumberSetting label="Weights seed" value={settings.seed} {...limits('search.seed')} onChange={(v) => setSetting('seed', v)} />
        <label className="setting">
          <span>
            <input type="checkbox" checked={settings.bn} onChange={(e) => setSetting('bn', e.target.checked)} /> BatchNorm
          </span>
        </label>
        <label className="setting">
          <span>
            <input type="checkbox" checked={settings.relu} onChange={(e) => setSetting('relu', e.target.checked)} /> ReLU
          </span>
        </label>
        <label className="setting">
          Backend
          <select value={settings.provider} onChange={(e) => setSetting('provider', e.target.value as ProviderChoice)}>
            <option value="auto">auto</option>
            <option value="wasm">wasm</option>
            <option value="webgpu">WebGPU</option>
          </select>
        </label>
      </div>
      <div className="buttons">
        <NumberSetting label="Top" value={topK} min={1} max={64} onChange={setTopK} />
        <ActionButton data-testid="measure-top" disabled={!!job || !hasPopulation} aria-describedby={hasPopulation ? undefined : 'why-measure-disabled'} onClick={measureTop}>
          Measure the top {topK}
        </ActionButton>
        {!hasPopulation && (
          <span className="hint" id="why-measure-disabled">
            Run a search first: this measures its best candidates.
          </span>
        )}
        {job && (
          <>
            <progress max={job.total} value={job.done} aria-label="repeats measured" />
            <span>
              candidate {job.candidate} of {job.candidates}
            </span>
            <button onClick={cancel}>Cancel</button>
          </>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="entropy-error">
          {error}
        </p>
      )}
      {last && (
        <p data-testid="entropy-last">
          last: {last.result.mean.toFixed(2)} ± {last.result.std.toFixed(2)} (analytic {last.analytic.toFixed(2)}) · {last.result.msPerRepeat.toFixed(0)} ms per repeat on {last.result.provider}
        </p>
      )}
      {points.length > 0 && (
        <>
          <p>
            {points.length} measured · correlation with the analytic score: <strong data-testid="entropy-correlation">{r === null ? '—' : r.toFixed(3)}</strong>
          </p>
          <Suspense fallback={<p className="hint">loading the chart…</p>}>
            <MeasuredScatter name={`Measured entropy against analytic score, ${points.length} candidates`} points={points} x={ANALYTIC_AXIS} y={MEASURED_AXIS} />
          </Suspense>
        </>
      )}
    </section>
  );
}
