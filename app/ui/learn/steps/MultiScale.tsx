/**
 * Step 4: multi-scale features for detection. Why the detection score weights several stages,
 * what the weights [0, 0, 1, 1, 6] mean for each block once the sums are cumulative; the widget runs the same short search (in the lesson worker) under the
 * reader's weights and under a comparison, and sets the two networks found side by side.
 */
import { useMemo, useState } from 'react';
import type { RunConfig } from '../../../engine/config';
import { ConfigError } from '../../../engine/errors';
import { shortSearchConfig } from '../../../engine/evolution/shortSearch';
import type { RatioSearchResult, RatioSearchRun } from '../../../../workers/lessonApi';
import { NetworkDrawing } from '../../components/NetworkDrawing';
import { asSentence, formatCount, formatGiga, formatMega } from '../../format';
import { ActionButton } from '../../components/ActionButton';
import { TeX } from '../TeX';
import { TaskProgress, useLessonTask } from './useLessonTask';
import { describeSetUp, useStudioConfig } from './useStudioConfig';
import './lessonSteps.css';
import { DETECTION_STAGE_WEIGHTS } from '../../../engine/configFields';
import { effectiveBlockWeights } from '../../../engine/scores/madnas';

const STAGE_NAMES = ['C1', 'C2', 'C3', 'C4', 'C5'];
const EQUAL_WEIGHTS = [1, 1, 1, 1, 1];
const COMPARISONS: readonly { label: string; ratio: readonly number[] }[] = [
  { label: 'MAE-DET detection default [0, 0, 1, 1, 6]', ratio: DETECTION_STAGE_WEIGHTS },
  { label: 'classification, last stage only [0, 0, 0, 0, 1]', ratio: [0, 0, 0, 0, 1] },
  { label: 'equal weights [1, 1, 1, 1, 1]', ratio: EQUAL_WEIGHTS },
];

/** the effective weight of a block's term in stage `stage` (0-based), as a number for the text */
const effectiveText = (ratio: readonly number[], stage: number) => String(effectiveBlockWeights(ratio)[stage]);

/** per stage: what a block's term ℓ_j weighs, and what ln C_i weighs, under the weights */
function EffectiveWeights({ ratio }: { ratio: readonly number[] }) {
  const blocks = effectiveBlockWeights(ratio);
  return (
    <table className="stage-table effective-weights" data-testid="effective-weights" data-value={blocks.join(',')}>
      <thead>
        <tr>
          <th>weights {showRatio(ratio)}</th>
          {STAGE_NAMES.map((name) => (
            <th key={name}>{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>
            a block&apos;s <TeX>{String.raw`\ell_j`}</TeX> weighs <TeX>{String.raw`\sum_{i \ge \text{its stage}} r_i`}</TeX>
          </td>
          {blocks.map((w, i) => (
            <td key={i}>{w}</td>
          ))}
        </tr>
        <tr>
          <td>
            <TeX>{String.raw`\ln C_i`}</TeX> weighs <TeX>r_i</TeX>
          </td>
          {ratio.map((w, i) => (
            <td key={i}>{w}</td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
/** children per search: enough for the shape to settle (a few tenths of a second each) */
const CHILDREN = 20_000;

const sameRatio = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const showRatio = (ratio: readonly number[]) => `[${ratio.join(', ')}]`;

/** the weights as numbers, or the first reason they are not usable with this set-up */
function readWeights(texts: readonly string[], config: RunConfig): { ratio: number[] } | { error: string } {
  const ratio = texts.map((t) => Number(t));
  const bad = texts.findIndex((t, i) => t.trim() === '' || !Number.isFinite(ratio[i]) || ratio[i] < 0);
  if (bad >= 0) return { error: `Weight ${STAGE_NAMES[bad]}: a number ≥ 0.` };
  try {
    // the engine's own checks: the stage count of the seed, at least one positive weight
    shortSearchConfig(config, { ratio, children: CHILDREN, seed: config.search.seed });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { error: asSentence(e.reason) };
  }
  return { ratio };
}

function RunCard({ run, title }: { run: RatioSearchRun; title: string }) {
  return (
    <section className="ratio-run" data-testid="ratio-run" data-ratio={run.ratio.join(',')} data-score={run.best.score} data-flops={run.best.flops}>
      <h3>
        {title} {showRatio(run.ratio)}
      </h3>
      <p className="hint">
        score {run.best.score.toFixed(1)} · {formatGiga(run.best.flops)}FLOPs · {run.best.layers} layers · {formatMega(run.best.params)} params
      </p>
      <NetworkDrawing structure={run.best.structure} report={run.report} />
    </section>
  );
}

/** stage by stage: stride, side, and each network's channels and layers (differences marked) */
function StageTable({ runs }: { runs: readonly RatioSearchRun[] }) {
  const [first] = runs;
  const differs = (value: (r: RatioSearchRun) => number) => runs.some((r) => value(r) !== value(first));
  return (
    <table className="stage-table">
      <thead>
        <tr>
          <th rowSpan={2}>stage</th>
          <th rowSpan={2}>stride</th>
          <th rowSpan={2}>side</th>
          <th colSpan={runs.length}>channels</th>
          <th colSpan={runs.length}>layers</th>
        </tr>
        <tr>
          {[...runs, ...runs].map((r, i) => (
            <th key={i}>{showRatio(r.ratio)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {first.stages.map((stage, i) => {
          const channelsDiffer = differs((r) => r.stages[i].channels);
          const layersDiffer = differs((r) => r.stages[i].layers);
          return (
            <tr key={i}>
              <td>{STAGE_NAMES[i] ?? `stage ${i}`}</td>
              <td>{stage.stride}</td>
              <td>{stage.featureMapSize}</td>
              {runs.map((r) => (
                <td key={`c${r.ratio}`} className={channelsDiffer ? 'diff' : undefined}>
                  {r.stages[i].channels}
                </td>
              ))}
              {runs.map((r) => (
                <td key={`l${r.ratio}`} className={layersDiffer ? 'diff' : undefined}>
                  {r.stages[i].layers}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function MultiScale() {
  const studio = useStudioConfig();
  const [weights, setWeights] = useState(() => DETECTION_STAGE_WEIGHTS.map(String));
  const [comparison, setComparison] = useState(0);
  const task = useLessonTask<RatioSearchResult>();
  const read = useMemo(() => (studio.config ? readWeights(weights, studio.config) : null), [weights, studio.config]);
  const error = studio.error ?? (read && 'error' in read ? read.error : null);

  const start = () => {
    const config = studio.config;
    if (!config || !read || !('ratio' in read)) return;
    const compared = COMPARISONS[comparison].ratio;
    const ratios = sameRatio(read.ratio, compared) ? [read.ratio] : [read.ratio, [...compared]];
    task.run((worker, onProgress) => worker.ratioSearch({ config, ratios, children: CHILDREN, seed: config.search.seed }, onProgress));
  };
  const runs = task.result?.runs;

  return (
    <>
      <p>
        A detector has to find objects of very different sizes in one image, so it reads the backbone at several depths. After the stem
        (C1, stride 2) every stage halves the side of the feature map again: C2, C3, C4 and C5 have strides 4, 8, 16 and 32 — at 480×480 px,
        maps of 120, 60, 30 and 15 pixels a side. Fine maps keep the detail small objects need; a unit of a coarse map sees a large part of the
        image, as large objects need. MAE-DET&apos;s detector, GFL, reads C3, C4 and C5 through a feature pyramid network (FPN) and makes two
        coarser levels from C5&apos;s; it does not read C1 or C2 at all (step 7 draws it).
      </p>
      <p>
        So MAE-DET&apos;s detection score weights several stages instead of only the last: <TeX>{String.raw`r = [0, 0, 1, 1, 6]`}</TeX> for
        C1…C5, where classification uses <TeX>{String.raw`[0, 0, 0, 0, 1]`}</TeX>. These weights are the reference code&apos;s default, an empirical
        choice: nothing in the method derives them. The zeros on C1 and C2 match the detector, which never reads those maps. Read the other
        weights with care: <TeX>S_i</TeX> is cumulative — it holds every term from the stem on — so a block&apos;s term counts in its own
        stage&apos;s sum and in every later one, and weighs the sum of the weights from its stage to the last:
      </p>
      <TeX block>{String.raw`\text{score} = \sum_{i=1}^{5} r_i S_i = \sum_{j} \Big(\sum_{i\,:\,n_i \ge j} r_i\Big)\,\ell_j \;+\; \sum_{i=1}^{5} r_i \ln C_i`}</TeX>
      <p>
        With <TeX>{String.raw`[0, 0, 1, 1, 6]`}</TeX> each block of C1–C3 weighs {effectiveText(DETECTION_STAGE_WEIGHTS, 0)}, each block of C4{' '}
        {effectiveText(DETECTION_STAGE_WEIGHTS, 3)} and each block of C5 {effectiveText(DETECTION_STAGE_WEIGHTS, 4)}: the blocks weigh nearly alike,
        the C5 blocks least, because C5&apos;s 6 counts on every block of the network, not on C5&apos;s alone. And <TeX>{String.raw`[1, 1, 1, 1, 1]`}</TeX> does
        not weigh the stages alike: the stem&apos;s term counts {effectiveText(EQUAL_WEIGHTS, 0)} times, a C5 block&apos;s once. The widget shows these
        effective weights for the weights you type.
      </p>
      <div className="widget">
        <div className="widget-controls ratio-weights">
          {weights.map((w, i) => (
            <label key={i}>
              {STAGE_NAMES[i]}
              <input
                value={w}
                inputMode="decimal"
                aria-label={`weight ${STAGE_NAMES[i]}`}
                aria-invalid={error !== null && error.startsWith(`Weight ${STAGE_NAMES[i]}:`)}
                onChange={(e) => setWeights(weights.map((old, j) => (j === i ? e.target.value : old)))}
              />
            </label>
          ))}
          <label>
            compare with{' '}
            <select value={comparison} onChange={(e) => setComparison(Number(e.target.value))} aria-label="compare with">
              {COMPARISONS.map((c, i) => (
                <option key={c.label} value={i}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <ActionButton onClick={start} disabled={error !== null || task.running} data-testid="ratio-search">
            Run a short search
          </ActionButton>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {read && 'ratio' in read && <EffectiveWeights ratio={read.ratio} />}
        {studio.config && (
          <p className="hint">
            {formatCount(CHILDREN)} children per search, with the studio's set-up ({describeSetUp(studio.config)}) and its random seed{' '}
            {studio.config.search.seed}, so the weights are the only difference. Scores use the analytic madnas. The layers budget also
            caps each block's depth, so the searches often differ more in width than in depth; try weight on an early stage, such as{' '}
            [0, 6, 1, 0, 0], to see the depth move too.
          </p>
        )}
        {task.running && <TaskProgress progress={task.progress} onCancel={task.cancel} />}
        {task.error && <p className="field-error">{task.error}</p>}
        {runs && (
          <div data-testid="ratio-result" data-runs={runs.length}>
            {runs.length === 1 && <p className="hint">Your weights are the comparison's: change a weight, or the comparison, to see two networks.</p>}
            <div className="ratio-runs">
              {runs.map((run, i) => (
                <RunCard key={run.ratio.join(',')} run={run} title={i === 0 ? 'Your weights' : 'Compared with'} />
              ))}
            </div>
            <StageTable runs={runs} />
          </div>
        )}
      </div>
    </>
  );
}
