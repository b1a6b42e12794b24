/**
 * Step 1: why zero-shot. Training-based NAS pays a training run per estimate; the MAE-DET score,
 * an entropy-inspired proxy, is computed from the architecture alone. The widget scores thousands of distinct networks in
 * the lesson worker and shows the time per network.
 */
import { useState } from 'react';
import { ZERO_SHOT_MAX_COUNT, type ZeroShotResult } from '../../../../workers/lessonApi';
import { presetConfig } from '../../../engine/config';
import { evaluateStructure } from '../../../engine/evaluate';
import { findReferenceNetwork, MEASURED_ENTROPY_MAEDET_S } from '../../../engine/referenceNetworks';
import { formatCount } from '../../format';
import { Flops, FlopsConventions } from '../Flops';
import { BLOCK_TERM_TEX, SCORE_TEX, STAGE_SUM_TEX, STEM_TERM_TEX } from '../notation';
import { ActionButton } from '../../components/ActionButton';
import { TeX } from '../TeX';
import { TaskProgress, useLessonTask } from './useLessonTask';
import './lessonSteps.css';

/** children of the reference detection search (TinyNAS `num_random_nets`) */
const REFERENCE_SEARCH_CHILDREN = presetConfig('detection-r50').search.numRandomNets;
/** MAE-DET-S's analytic score, next to the paper's measured one */
const MAEDET_S_SCORE = evaluateStructure(findReferenceNetwork('maedet_s')!.structure).madnas;

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
        Zero-shot NAS skips the training. It ranks architectures by a score computed from the <em>untrained</em> network. MAE-DET&apos;s score is
        inspired by entropy — a Gaussian&apos;s differential entropy grows with the log of its standard deviation — but it is a proxy, not the
        entropy of the feature maps: for each stage it adds up the log-std gains <TeX>{String.raw`\ell_j`}</TeX> of the blocks from the stem to
        the stage&apos;s end, plus <TeX>{String.raw`\ln C_i`}</TeX>, the log of the stage&apos;s channels (a width bonus the reference adds on
        purpose), and weights the stages by <TeX>r_i</TeX>. The image size does not enter it.
      </p>
      <p>
        The paper measured the score with forward passes of random input through the network with random weights. The form used here is
        TinyNAS&apos;s analytic <code>madnas</code>: it follows from one rule — each convolution multiplies the std of its input by the square
        root of its fan-in — and matches the measured score up to the zero padding at the borders of the feature maps. For MAE-DET-S it gives{' '}
        {MAEDET_S_SCORE.toFixed(1)}, where forward passes with the authors&apos; code (TinyNAS&apos;s maedet branch; batch{' '}
        {MEASURED_ENTROPY_MAEDET_S.batch}, {MEASURED_ENTROPY_MAEDET_S.resolution}×{MEASURED_ENTROPY_MAEDET_S.resolution} input, mean of{' '}
        {MEASURED_ENTROPY_MAEDET_S.repeats} repeats) measure {MEASURED_ENTROPY_MAEDET_S.mean.toFixed(1)}. The studio measures it too: <em>Measure
        entropy</em> on any candidate. No data, no training, no GPU: a search can afford to score every child it
        generates.
      </p>
      <p>
        The rule holds for the stripped network the method scores, not for the network you will train: BN and ReLU skipped, the main path of
        each block only (no shortcut, no residual add), the features divided by their std after every conv, and the weights drawn from{' '}
        <TeX>{String.raw`\mathcal N(0, 1)`}</TeX> on purpose. With He initialisation every conv would multiply the std by the same √2 whatever
        its width, and the gains would not rank widths. Step 2 checks the rule on a real conv.
      </p>
      <TeX block>{`${SCORE_TEX}, \\qquad ${STAGE_SUM_TEX}, \\qquad ${BLOCK_TERM_TEX}`}</TeX>
      <p className="hint">
        Stages <TeX>{String.raw`i = 1,\dots,5`}</TeX> end at the feature maps C1…C5 (C1 is the stem&apos;s output); <TeX>r_i</TeX>: the weight of
        stage <TeX>i</TeX> (<TeX>{String.raw`[0, 0, 1, 1, 6]`}</TeX> for detection); <TeX>S_i</TeX>: its unweighted sum; <TeX>n_i</TeX>: the inner
        blocks from the stem to the end of stage <TeX>i</TeX>; <TeX>C_i</TeX>: its output channels; <TeX>{String.raw`\ell_j`}</TeX>: the log-std
        gain of inner block <TeX>j</TeX>, here a bottleneck with <TeX>c_j</TeX> input channels, bottleneck width <TeX>b_j</TeX> and kernel{' '}
        <TeX>k_j</TeX>. The stem is block 1, a single conv on the 3 RGB channels: <TeX>{STEM_TERM_TEX}</TeX>. Steps 2–4 build it up; all logs are
        natural.
      </p>
      <div className="widget">
        <div className="widget-controls">
          <label>
            Networks{' '}
            <input className="count-input" value={countText} onChange={(e) => setCountText(e.target.value)} inputMode="numeric" aria-label="networks to score" aria-invalid={invalid !== null} />
          </label>
          <ActionButton onClick={start} disabled={invalid !== null || task.running} data-testid="zero-shot-run">
            Score {typeof count === 'number' ? formatCount(count) : ''} architectures
          </ActionButton>
          {invalid && <span className="field-error">{invalid}</span>}
        </div>
        <p className="hint">
          Distinct networks of the detection search space, made by mutating the search&apos;s starting network as the search does (TinyNAS calls it
          &quot;R50&quot; after its FLOPs budget, but it is a small start — one bottleneck per stage, 16 layers — not ResNet-50); each gets its
          params, FLOPs and layers and its score, in a worker thread of this page.
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
              {result.best.score.toFixed(1)} at <Flops flops={result.best.flops} resolution={result.imageSize} paperFlops1280x800={result.best.paperFlops1280x800} /> —
              but nothing bounded their cost yet; that is step 5.
            </p>
            <p className="hint">
              <FlopsConventions resolution={result.imageSize} />
            </p>
          </div>
        )}
      </div>
    </>
  );
}
