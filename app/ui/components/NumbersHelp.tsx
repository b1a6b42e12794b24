import { PAPER_INPUT } from '../../engine/cost';
import { DETECTION_STAGE_WEIGHTS } from '../../engine/configFields';
import { findReferenceNetwork } from '../../engine/referenceNetworks';
import { madnas } from '../../engine/scores/madnas';
import type { LatencyPredictor } from '../../engine/latency/predictor';

const scoreOf = (name: string) => madnas(findReferenceNetwork(name)!.structure, DETECTION_STAGE_WEIGHTS).total.toFixed(1);

/** what the score is and what its size means, for a newcomer reading "Best score 2093.9" */
export const SCORE_HELP = `MAE-DET's entropy-based score: for each stage, the log-std gains of its blocks plus the log of its channels, weighted by the stage weights. A sum of logarithms, with no fixed scale or maximum: compare scores within one set-up only. For scale, with the detection weights MAE-DET-S scores ${scoreOf('maedet_s')} and the R50 search seed ${scoreOf('r50_det_seed')}.`;

/** The leaderboard's columns explained. */
export function NumbersHelp({ resolution, predictor }: { resolution: number; predictor: LatencyPredictor | null }) {
  return (
    <details className="numbers-help">
      <summary>What do these numbers mean?</summary>
      <dl>
        <dt>Score</dt>
        <dd>{SCORE_HELP}</dd>
        <dt>FLOPs</dt>
        <dd>
          At the search&apos;s input size, {resolution}×{resolution}: multiply–accumulates plus the BN and ReLU operations, as TinyNAS counts them. The
          paper&apos;s table counts the backbone at 1280×800, about {((PAPER_INPUT.width * PAPER_INPUT.height) / resolution ** 2).toFixed(1)}× more.
        </dd>
        <dt>Params, layers</dt>
        <dd>The backbone&apos;s trainable parameters (conv weights, BN scales and shifts) and its conv layers (3 per bottleneck block, 1 for the stem).</dd>
        <dt>Latency</dt>
        <dd>
          {predictor
            ? `Predicted milliseconds per image (batch 1) at ${predictor.resolution}×${predictor.resolution} px on the device profile “${predictor.profile.name}”: the sum of its units' measured times, calibrated on whole networks. "Measure latency" in a candidate's view times the network itself.`
            : 'Profile this device (Latency on this device, under the set-up) and the leaderboard predicts each network’s latency on it.'}
        </dd>
        <dt>Depth per stage</dt>
        <dd>Inner blocks in each stage, C1·C2·C3·C4·C5 (C1 is the stem, a single conv). A stage starts at each stride-2 block and outputs the feature map of that name.</dd>
      </dl>
    </details>
  );
}
