import { useMemo, useState } from 'react';
import { Bar, Cell, ComposedChart, Line, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { Structure } from '../../../engine/block';
import { applyEdit, type EditableKey } from '../../../engine/edit';
import { evaluateStructure } from '../../../engine/evaluate';
import { findReferenceNetwork } from '../../../engine/referenceNetworks';
import { formatGiga, formatMega } from '../../format';
import { TeX } from '../TeX';
import { DETECTION_STAGE_WEIGHTS } from '../../../engine/configFields';

const BASE = findReferenceNetwork('maedet_s')!.structure;
/** the stage the user builds: MAE-DET-S's last block, the C5 stage that carries weight 6 */
const STAGE = BASE.length - 1;
const RESOLUTION = 480;
/** S₄ of MAE-DET-S as published, for the change the user's stage makes */
const BASE_STAGE_SCORE = evaluateStructure(BASE, RESOLUTION, DETECTION_STAGE_WEIGHTS).madnasPerStage[STAGE];

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

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * Step 3: every inner block adds its log-std gain ℓ_j, so a stage's entropy is a sum — deeper
 * stages add terms, wider ones make each term larger. The user rebuilds MAE-DET-S's C5 stage and
 * watches the terms, their running sum, the score and the cost.
 */
export function StageBuilder() {
  const [structure, setStructure] = useState<Structure>(BASE);
  const [refused, setRefused] = useState<string | null>(null);
  const report = useMemo(() => evaluateStructure(structure, RESOLUTION, DETECTION_STAGE_WEIGHTS), [structure]);
  const block = structure[STAGE];
  const set = (key: EditableKey, value: number) => {
    const result = applyEdit(structure, { type: 'set', block: STAGE, key, value });
    if (result.ok) setStructure(result.structure);
    setRefused(result.ok ? null : result.reason);
  };
  const firstOfStage = report.madnasPerBlock.length - (block.L ?? 1);
  const terms: { j: number; term: number; sum: number; inStage: boolean }[] = [];
  for (const [j, term] of report.madnasPerBlock.entries()) terms.push({ j, term, sum: (terms[j - 1]?.sum ?? 0) + term, inStage: j >= firstOfStage });
  const stageSum = terms.slice(firstOfStage).reduce((s, t) => s + t.term, 0);
  const c5 = report.madnasPerStage[STAGE];
  return (
    <>
      <p>
        A residual block&apos;s main path is a chain of convolutions, and each multiplies the std by its <TeX>{String.raw`\sqrt{\text{fan-in}}`}</TeX>. In logs the
        products become sums: inner block <TeX>j</TeX> of a <code>SuperResK1KXK1</code> stage adds
      </p>
      <TeX block>{String.raw`\ell_j = \log\sqrt{C_\text{in}} + \log\sqrt{b\,k^2} + \log\sqrt{b}`}</TeX>
      <p>
        (the 1×1, the k×k and the 1×1 conv, with bottleneck width <TeX>b</TeX>). A stage&apos;s entropy adds every term from the stem up to its last block, plus
        the log of its channel count <TeX>C_i</TeX>, and the score weights the stages:
      </p>
      <TeX block>{String.raw`S_i = w_i\Big(\sum_{j \le \text{end}(i)} \ell_j + \log C_i\Big), \qquad \text{score} = \sum_i S_i`}</TeX>
      <p>
        So a deeper stage (larger <TeX>L</TeX>) adds terms, and a wider one (larger <TeX>b</TeX>, <TeX>k</TeX>) makes each term bigger. Rebuild the C5 stage of
        MAE-DET-S below and watch the sum — and the cost, which grows just as surely.
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
        <ResponsiveContainer width="100%" height={220}>
          <ComposedChart data={terms} margin={{ top: 10, right: 20, bottom: 16, left: 0 }}>
            <XAxis dataKey="j" label={{ value: 'inner block j (stem first)', position: 'insideBottom', offset: -8 }} tick={{ fontSize: 11 }} />
            <YAxis yAxisId="term" width={40} tick={{ fontSize: 11 }} />
            <YAxis yAxisId="sum" orientation="right" width={50} tick={{ fontSize: 11 }} />
            <Bar yAxisId="term" dataKey="term" isAnimationActive={false}>
              {terms.map((t) => (
                <Cell key={t.j} className={t.inStage ? 'term in-stage' : 'term'} />
              ))}
            </Bar>
            <Line yAxisId="sum" dataKey="sum" dot={false} isAnimationActive={false} className="running-sum" />
          </ComposedChart>
        </ResponsiveContainer>
        <p className="hint">Bars: each ℓ_j (the C5 stage highlighted). Line: the running sum Σℓ, right axis.</p>
        <dl className="stats">
          <dt>C5 stage terms Σℓ</dt>
          <dd data-testid="stage-sum" data-value={stageSum}>
            {stageSum.toFixed(2)} over {block.L} blocks
          </dd>
          <dt>
            S<sub>4</sub> = 6 × (Σℓ + log C)
          </dt>
          <dd data-testid="stage-score" data-value={c5}>
            {c5.toFixed(1)} ({c5 >= BASE_STAGE_SCORE ? '+' : ''}
            {(c5 - BASE_STAGE_SCORE).toFixed(1)} from MAE-DET-S)
          </dd>
          <dt>Score</dt>
          <dd data-value={report.madnas}>{report.madnas.toFixed(1)}</dd>
          <dt>Cost</dt>
          <dd>
            {formatMega(report.params)} params · {formatGiga(report.flops)} FLOPs at {RESOLUTION} · {report.layers} layers
          </dd>
        </dl>
      </div>
    </>
  );
}
