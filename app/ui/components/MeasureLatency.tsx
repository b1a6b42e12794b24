import type { Structure } from '../../engine/block';
import type { LatencyPredictor } from '../../engine/latency/predictor';
import { formatLatency } from '../format';
import { measurementKey, measurementSetting, useLatencyStore } from '../stores/latencyStore';
import { ActionButton } from './ActionButton';

/**
 * "Measure latency": the network's deploy ONNX timed end to end on this device, on the backend,
 * threads and input size of the profile its prediction comes from, beside that prediction and the
 * prediction's error.
 */
export function MeasureLatency({ structure, predictor }: { structure: Structure; predictor: LatencyPredictor | null }) {
  const setting = predictor ? measurementSetting(predictor.profile) : 'Profile this device first: the measurement runs where the profile was measured.';
  const key = typeof setting === 'string' ? '' : measurementKey(structure, setting);
  const measurement = useLatencyStore((s) => s.measurements[key]);
  const busy = useLatencyStore((s) => s.job !== null);
  const measuring = useLatencyStore((s) => s.job?.origin === 'candidate' && s.job.measuring === key);
  const error = useLatencyStore((s) => (s.error?.origin === 'candidate' && s.error.key === key ? s.error.message : null));
  const { measure, cancel } = useLatencyStore.getState();
  const predicted = predictor?.predictMs(structure) ?? NaN;
  const whyId = `why-no-latency-${key || 'profile'}`;
  return (
    <div className="measure-latency">
      <div className="buttons">
        <ActionButton
          data-testid="measure-latency"
          disabled={busy || typeof setting === 'string'}
          aria-describedby={typeof setting === 'string' ? whyId : undefined}
          onClick={() => typeof setting !== 'string' && void measure([structure], setting, 'candidate')}
        >
          Measure latency
        </ActionButton>
        {measuring && (
          <>
            <span role="status">timing the network on this device…</span>
            <button onClick={cancel}>Cancel</button>
          </>
        )}
        {typeof setting === 'string' && (
          <small className="hint" id={whyId}>
            {setting}
          </small>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {measurement && (
        <p className="measured" data-testid="measured-latency" data-value={measurement.medianMs} data-predicted={Number.isFinite(predicted) ? predicted : ''}>
          measured {formatLatency(measurement.medianMs)} (p10–p90 {measurement.p10Ms.toFixed(2)}–{measurement.p90Ms.toFixed(2)} ms, {measurement.samples} samples of {measurement.runsPerSample} run
          {measurement.runsPerSample === 1 ? '' : 's'}) at {measurement.resolution} px on {measurement.device.backend}
          {measurement.device.backend === 'webgpu' ? '' : `, ${measurement.device.threads} thread${measurement.device.threads === 1 ? '' : 's'}`}
          {Number.isFinite(predicted) && ` · predicted ${formatLatency(predicted)}, ${predicted >= measurement.medianMs ? '+' : '−'}${((100 * Math.abs(predicted - measurement.medianMs)) / measurement.medianMs).toFixed(1)}% off`}
        </p>
      )}
    </div>
  );
}
