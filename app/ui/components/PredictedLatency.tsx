import type { Structure } from '../../engine/block';
import { LatencyRangeError, type LatencyPredictor } from '../../engine/latency/predictor';
import { describeProfile } from '../../engine/latency/profile';
import { formatLatency } from '../format';

/** what the profile lacks to time a network it cannot predict (the predictor's own sentence) */
function whyOutside(predictor: LatencyPredictor, structure: Structure): string {
  try {
    predictor.sums(structure);
    return '';
  } catch (e) {
    return e instanceof LatencyRangeError ? e.message : String(e);
  }
}

/** the profile a prediction comes from, for its tooltip */
export function predictionSource(predictor: LatencyPredictor): string {
  return `predicted per image (batch 1) at ${predictor.resolution}×${predictor.resolution} px from the profile “${predictor.profile.name}” (${describeProfile(predictor.profile)})`;
}

/**
 * A network's predicted latency on the active profile, "12.3 ms @224 px", with the profile named
 * on hover; "outside the profile" (and why) for a network the profile cannot time; "—" without a
 * profile.
 */
export function PredictedLatency({ structure, predictor, testId = 'predicted-latency' }: { structure: Structure; predictor: LatencyPredictor | null; testId?: string }) {
  if (!predictor) {
    return (
      <span data-testid={testId} title="Profile this device (under the set-up) to predict latency">
        —
      </span>
    );
  }
  const ms = predictor.predictMs(structure);
  const finite = Number.isFinite(ms);
  return (
    <span data-testid={testId} data-value={finite ? ms : ''} title={finite ? predictionSource(predictor) : whyOutside(predictor, structure)}>
      {formatLatency(ms)}
      {finite && ` @${predictor.resolution} px`}
    </span>
  );
}
