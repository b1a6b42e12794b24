/**
 * Step 1: why zero-shot. Training-based NAS pays a training run per estimate; the MAE-DET score
 * is computed from the architecture alone. The widget scores thousands of distinct networks in
 * the lesson worker and shows the time per network.
 */
import { useState } from 'react';
import { ZERO_SHOT_MAX_COUNT, type ZeroShotResult } from '../../../../workers/lessonApi';
import { formatCount, formatGiga } from '../../format';
import { TeX } from '../TeX';
import { TaskProgress, useLessonTask } from './useLessonTask';
import './lessonSteps.css';

/** children of the reference detection search (TinyNAS `num_random_nets`, spec §6.1) */
const REFERENCE_SEARCH_CHILDREN = 100_000;

function parseCount(text: string): number | string {
  const n = Number(text.replace(/[,_\s]/g, ''));
  if (text.trim() === '' || !Number.isInteger(n) || n < 1 || n > ZERO_SHOT_MAX_COUNT) return `Networks: a whole number from 1 to ${formatCount(ZERO_SHOT_MAX_COUNT)}.`;
  return n;
}

export function WhyZeroShot() {
  const [countText, setCountText] = useState('10000');
  const task = useLessonTask<ZeroShotResult>();
  const count = parseCount(countText);
  const invalid = typeof count === 'string' ? count : null;
  const result = task.result;
  const start = () => {
    if (typeof count === 'number') task.run((worker, onProgress) => worker.zeroShot({ count, seed: Date.now() % 2 ** 31 }, onProgress));
  };
  return (
    <>
      <p>
        A neural architecture search compares many candidate networks. The classic way to judge a candidate is to train it and
        measure its accuracy: every estimate is a training run, and a search that compares thousands of candidates costs GPU-days
        — even with tricks such as weight sharing, the candidates or a supernet still have to be trained.
      </p>
      <p>
        Zero-shot NAS skips the training. It ranks architectures by a score computed from the <em>untrained</em> network. MAE-DET's
        score is the entropy of the backbone's feature maps when all its weights are random Gaussians. MAE-DET measured it with a
        forward pass on random input; its analytic form, used here, follows from one rule — each convolution multiplies the standard
        deviation of its input by the square root of its fan-in — so the score is a sum of logarithms that depends on the
        architecture alone: no data, no training, no GPU. A search can then afford to score every child it generates.
      </p>
      <TeX block>{String.raw`\text{score} = \sum_{i=1}^{5} r_i \Big( \sum_{j=1}^{n_i} \ell_j + \ln w_i \Big), \qquad \ell_j = \ln\sqrt{c_{\text{in}}} + \ln\sqrt{b\,k^2} + \ln\sqrt{b}`}</TeX>
      <p className="hint">
        <TeX>{String.raw`r_i`}</TeX>: the weight of stage <TeX>{String.raw`i`}</TeX>; <TeX>{String.raw`n_i`}</TeX>: the blocks up to the end of
        stage <TeX>{String.raw`i`}</TeX>; <TeX>{String.raw`w_i`}</TeX>: its output channels; <TeX>{String.raw`\ell_j`}</TeX>: the log-std gain of
        block <TeX>{String.raw`j`}</TeX> (here a bottleneck with input <TeX>{String.raw`c_{\text{in}}`}</TeX>, bottleneck{' '}
        <TeX>{String.raw`b`}</TeX> and kernel <TeX>{String.raw`k`}</TeX>). Steps 2–4 build it up.
      </p>
      <div className="widget">
        <div className="widget-controls">
          <label>
            Networks{' '}
            <input className="count-input" value={countText} onChange={(e) => setCountText(e.target.value)} inputMode="numeric" aria-label="networks to score" aria-invalid={invalid !== null} />
          </label>
          <button onClick={start} disabled={invalid !== null || task.running} data-testid="zero-shot-run">
            Score {typeof count === 'number' ? formatCount(count) : ''} architectures
          </button>
          {invalid && <span className="field-error">{invalid}</span>}
        </div>
        <p className="hint">
          Distinct networks of the detection search space, made by mutating the R50 seed as the search does; each gets its params,
          FLOPs and layers and its score, in a worker thread of this page.
        </p>
        {task.running && <TaskProgress progress={task.progress} onCancel={task.cancel} />}
        {task.error && <p className="field-error">{task.error}</p>}
        {result && (
          <div className="zero-shot-result">
            <p>
              <strong className="big-number" data-testid="zero-shot-rate" data-value={result.microsecondsPerNetwork} data-count={result.count}>
                {result.microsecondsPerNetwork.toPrecision(3)} µs
              </strong>{' '}
              per architecture: {formatCount(result.count)} scored in {result.scoringMs.toFixed(1)} ms.
            </p>
            <p>
              At this rate the {formatCount(REFERENCE_SEARCH_CHILDREN)} children of the reference detection search are scored in{' '}
              {((result.microsecondsPerNetwork * REFERENCE_SEARCH_CHILDREN) / 1e6).toFixed(2)} s. The best of these {formatCount(result.count)} networks scores{' '}
              {result.best.score.toFixed(1)} at {formatGiga(result.best.flops)}FLOPs ({result.imageSize}×{result.imageSize}) — but nothing bounded their
              cost yet; that is step 5.
            </p>
          </div>
        )}
      </div>
    </>
  );
}
