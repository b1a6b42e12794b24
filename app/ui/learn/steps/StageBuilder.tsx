import { useCallback, useMemo, useState } from 'react';
import { Bar, Cell, ComposedChart, DefaultZIndexes, Line, ResponsiveContainer, XAxis, YAxis, ZIndexLayer, useXAxisScale, useYAxisScale } from 'recharts';
import type { Structure } from '../../../engine/block';
import { applyEdit, type EditableKey } from '../../../engine/edit';
import { evaluateStructure } from '../../../engine/evaluate';
import { findReferenceNetwork } from '../../../engine/referenceNetworks';
import { DETECTION_STAGE_WEIGHTS } from '../../../engine/configFields';
import { stageSums } from '../../../engine/scores/madnas';
import { ChartKeys, CurrentPointRing, type ChartPoint, type ChartSeries } from '../../components/ChartKeys';
import { formatMega } from '../../format';
import { Flops } from '../Flops';
import { BLOCK_TERM_TEX, SCORE_TEX, STAGE_SUM_TEX, STEM_TERM_TEX } from '../notation';
import { TeX } from '../TeX';
import './lessonSteps.css';

const BASE = findReferenceNetwork('maedet_s')!.structure;
/** the block the user rebuilds: MAE-DET-S's last, which is all of the C5 stage (stage 5 of 5, index 4) */
const C5_BLOCK = BASE.length - 1;
const STAGE_INDEX = 4;
const RESOLUTION = 480;
/** r₅·S₅ of MAE-DET-S as published, for the change the user's stage makes */
const BASE_STAGE_SCORE = evaluateStructure(BASE, RESOLUTION, DETECTION_STAGE_WEIGHTS).madnasPerStage[STAGE_INDEX];

function Control({ label, value, options, onChange }: { label: string; value: number; options: number[]; onChange: (v: number) => void }) {
  return (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}

/** the chart's two series, bars on the left axis and the line on the right, in ChartKeys' order */
const SERIES_AXES = ['term', 'sum'];

/** the keyboard's ring: on the top of a bar, or on the running sum's line; in front of both */
function Ring() {
  const x = useXAxisScale();
  const term = useYAxisScale('term');
  const sum = useYAxisScale('sum');
  const position = useCallback(
    (p: ChartPoint, series: number) => {
      const [px, py] = [x?.(p.x, { position: 'middle' }), (SERIES_AXES[series] === 'sum' ? sum : term)?.(p.y)];
      return px === undefined || py === undefined ? null : ([px, py] as const);
    },
    [x, term, sum],
  );
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.activeDot}>
      <CurrentPointRing position={position} />
    </ZIndexLayer>
  );
}

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * Step 3: every inner block adds its log-std gain ℓ_j, so a stage's sum S_i adds the terms from
 * the stem to its end, plus ln C_i. The user rebuilds MAE-DET-S's C5 stage and
 * watches the terms, their running sum, the score and the cost.
 */
export function StageBuilder() {
  const [structure, setStructure] = useState<Structure>(BASE);
  const [refused, setRefused] = useState<string | null>(null);
  const report = useMemo(() => evaluateStructure(structure, RESOLUTION, DETECTION_STAGE_WEIGHTS), [structure]);
  const block = structure[C5_BLOCK];
  const set = (key: EditableKey, value: number) => {
    const result = applyEdit(structure, { type: 'set', block: C5_BLOCK, key, value });
    if (result.ok) setStructure(result.structure);
    setRefused(result.ok ? null : result.reason);
  };
  const firstOfStage = report.madnasPerBlock.length - (block.L ?? 1);
  const terms: { j: number; term: number; sum: number; inStage: boolean }[] = [];
  // j counts from 1, the stem, as in the formulas
  for (const [index, term] of report.madnasPerBlock.entries()) terms.push({ j: index + 1, term, sum: (terms[index - 1]?.sum ?? 0) + term, inStage: index >= firstOfStage });
  const n = terms.length;
  const stageTerms = terms.slice(firstOfStage).reduce((sum, t) => sum + t.term, 0);
  const allTerms = terms[n - 1].sum;
  const stageSum = stageSums(structure)[STAGE_INDEX];
  const weighted = report.madnasPerStage[STAGE_INDEX];
  const weight = DETECTION_STAGE_WEIGHTS[STAGE_INDEX];
  const channels = report.stageInfo.channels[STAGE_INDEX];
  const contributions = report.madnasPerStage.map((value, i) => ({ stage: i + 1, value })).filter((c) => DETECTION_STAGE_WEIGHTS[c.stage - 1] !== 0);
  const readTerms = (): ChartSeries[] => {
    const where = (t: (typeof terms)[number]) => `inner block j = ${t.j}${t.j === 1 ? ' (the stem)' : t.inStage ? ' (C5 stage)' : ''}`;
    return [
      { name: 'term', points: terms.map((t) => ({ x: t.j, y: t.term, text: `${where(t)}: ℓ = ${t.term.toFixed(3)}` })) },
      { name: 'running sum', points: terms.map((t) => ({ x: t.j, y: t.sum, text: `${where(t)}: sum of ℓ from the stem = ${t.sum.toFixed(3)}` })) },
    ];
  };
  const chartSummary = `${n} terms, j = 1 the stem; the C5 stage's ${block.L} (j = ${firstOfStage + 1} to ${n}) add up to ${stageTerms.toFixed(3)}, all ${n} to ${allTerms.toFixed(3)}.`;
  return (
    <>
      <p>
        A residual block&apos;s main path is a chain of convolutions, and in the stripped network of step 2 — weights{' '}
        <TeX>{String.raw`\mathcal N(0, 1)`}</TeX>, no BN, no ReLU, no shortcut, the features divided by their std after each conv — each
        multiplies the std by its <TeX>{String.raw`\sqrt{\text{fan-in}}`}</TeX>. In logs the products become sums. Inner block <TeX>j</TeX> of a{' '}
        <code>SuperResK1KXK1</code> stage is a 1×1 conv from <TeX>c_j</TeX> to <TeX>b_j</TeX> channels, a <TeX>{String.raw`k_j\times k_j`}</TeX> conv,
        and a 1×1 conv to the stage&apos;s channels, so it adds the logs of their three fan-ins:
      </p>
      <TeX block>{BLOCK_TERM_TEX}</TeX>
      <p>
        The stem, block 1, is a single conv on the 3 RGB channels: <TeX>{STEM_TERM_TEX}</TeX>. Stage <TeX>i</TeX>&apos;s sum adds every term
        from the stem to its last block <TeX>n_i</TeX>, plus the log of its output channels <TeX>C_i</TeX>, and the score weights the stages:
      </p>
      <TeX block>{`${STAGE_SUM_TEX}, \\qquad ${SCORE_TEX}`}</TeX>
      <p>
        So each control of the C5 stage below enters the sum its own way. The depth <TeX>L</TeX> adds terms. The bottleneck <TeX>b</TeX> is a
        fan-in twice, of the <TeX>{String.raw`k\times k`}</TeX> conv (with <TeX>{String.raw`k^2`}</TeX>) and of the last 1×1 conv, so each term of
        the stage holds <TeX>{String.raw`\ln b`}</TeX>; the kernel <TeX>k</TeX> is a size, not a width, and each term holds{' '}
        <TeX>{String.raw`\ln k`}</TeX>. The output channels <TeX>C_5</TeX> are the input{' '}
        <TeX>c_j</TeX> of the stage&apos;s inner blocks after the first, and give <TeX>{String.raw`\ln C_5`}</TeX> (in an earlier stage they would
        also feed the next stage&apos;s first block). Rebuild the C5 stage of MAE-DET-S and watch the sums — and the cost, which grows just as
        surely.
      </p>
      <div className="widget" data-testid="stage-builder">
        <div className="widget-controls">
          <Control label="depth L" value={block.L!} options={range(1, 16)} onChange={(v) => set('L', v)} />
          <Control label="bottleneck b" value={block.btn!} options={range(16, 512, 16).concat(block.btn!).filter((v, i, a) => a.indexOf(v) === i).sort((a, b) => a - b)} onChange={(v) => set('btn', v)} />
          <Control label="kernel k" value={block.k} options={[1, 3, 5, 7]} onChange={(v) => set('k', v)} />
          <Control label="output channels" value={block.out} options={[256, 512, 1024, 1536, 2048, 3072, 4096]} onChange={(v) => set('out', v)} />
          <button onClick={() => (setStructure(BASE), setRefused(null))}>back to MAE-DET-S</button>
        </div>
        {refused && (
          <p className="field-error" role="alert">
            {refused}
          </p>
        )}
        <ChartKeys
          name={`Log-std terms ℓ of the ${n} inner blocks, and their running sum`}
          summary={chartSummary}
          read={readTerms}
          help="On the chart: ← and → step through the blocks, Home and End go to the stem and the last block; ↑ and ↓ switch between the terms (bars) and their running sum (line)."
        >
          <ResponsiveContainer width="100%" height={240}>
            <ComposedChart data={terms} margin={{ top: 10, right: 10, bottom: 20, left: 10 }} accessibilityLayer={false}>
              <XAxis dataKey="j" label={{ value: 'inner block j (1 = the stem)', position: 'insideBottom', offset: -12 }} tick={{ fontSize: 11 }} />
              <YAxis yAxisId="term" width={56} tick={{ fontSize: 11 }} label={{ value: 'term ℓ', angle: -90, position: 'insideLeft', offset: 4, textAnchor: 'middle' }} />
              <YAxis yAxisId="sum" orientation="right" width={62} tick={{ fontSize: 11 }} label={{ value: 'running sum of ℓ', angle: 90, position: 'insideRight', offset: 4, textAnchor: 'middle' }} />
              <Bar yAxisId="term" dataKey="term" isAnimationActive={false}>
                {terms.map((t) => (
                  <Cell key={t.j} className={t.inStage ? 'term in-stage' : 'term'} />
                ))}
              </Bar>
              <Line yAxisId="sum" dataKey="sum" dot={false} isAnimationActive={false} className="running-sum" />
              <Ring />
            </ComposedChart>
          </ResponsiveContainer>
        </ChartKeys>
        <p className="hint">
          Bars: each <TeX>{String.raw`\ell_j`}</TeX>, <TeX>j = 1</TeX> the stem, the C5 stage&apos;s terms highlighted. Line: the running sum{' '}
          <TeX>{String.raw`\sum_{1}^{j} \ell`}</TeX>, right axis.
        </p>
        <dl className="stats rows">
          <dt>
            The C5 stage&apos;s terms, <TeX>{String.raw`\sum_{j=${firstOfStage + 1}}^{${n}} \ell_j`}</TeX>
          </dt>
          <dd data-testid="stage-terms" data-value={stageTerms}>
            {stageTerms.toFixed(3)} over its {block.L} inner blocks
          </dd>
          <dt>
            Every term from the stem, <TeX>{String.raw`\sum_{j=1}^{${n}} \ell_j`}</TeX>
          </dt>
          <dd data-testid="all-terms" data-value={allTerms}>
            {allTerms.toFixed(3)}
          </dd>
          <dt>
            <TeX>{String.raw`S_5 = \sum_{j=1}^{${n}} \ell_j + \ln C_5`}</TeX>
          </dt>
          <dd data-testid="stage-sum" data-value={stageSum}>
            {allTerms.toFixed(3)} + ln {channels} = {stageSum.toFixed(3)}
          </dd>
          <dt>
            <TeX>{String.raw`r_5\,S_5`}</TeX>
          </dt>
          <dd data-testid="stage-score" data-value={weighted}>
            {weight} × {stageSum.toFixed(3)} = {weighted.toFixed(1)} ({weighted >= BASE_STAGE_SCORE ? '+' : ''}
            {(weighted - BASE_STAGE_SCORE).toFixed(1)} from MAE-DET-S)
          </dd>
          <dt>
            Score, <TeX>{String.raw`\sum_i r_i S_i`}</TeX>
          </dt>
          <dd data-testid="builder-score" data-value={report.madnas}>
            {contributions.map((c) => c.value.toFixed(1)).join(' + ')} = {report.madnas.toFixed(1)} (stages{' '}
            {contributions.map((c) => c.stage).join(', ')}; the others weigh 0)
          </dd>
          <dt>Cost</dt>
          <dd>
            {formatMega(report.params)} params · <Flops flops={report.flops} resolution={RESOLUTION} paperFlops1280x800={report.paperFlops1280x800} /> ·{' '}
            {report.layers} layers
          </dd>
        </dl>
      </div>
    </>
  );
}
