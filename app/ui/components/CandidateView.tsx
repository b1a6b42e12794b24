import { lazy, Suspense, useEffect, useRef } from 'react';
import type { RunConfig } from '../../engine/config';
import { evaluateStructure } from '../../engine/evaluate';
import type { MemberRecord } from '../../engine/evolution/population';
import { formatGiga, formatMega } from '../format';
import { useRunStore } from '../stores/runStore';
import { useEditorStore } from '../stores/editorStore';
import { editorHash, navigate } from '../route';
import { NetworkDrawing, StageBars } from './NetworkDrawing';
import type { LatencyPredictor } from '../../engine/latency/predictor';
import { usePredictor } from '../stores/latencyStore';
import { MeasureLatency } from './MeasureLatency';
import { PredictedLatency } from './PredictedLatency';

// the exporters (protobufjs, the ONNX and PyTorch writers) load with the first candidate shown,
// not with the page
const CandidateActions = lazy(() => import('./CandidateActions').then((m) => ({ default: m.CandidateActions })));

function Candidate({ member, other, config, predictor }: { member: MemberRecord; other: MemberRecord | undefined; config: RunConfig; predictor: LatencyPredictor | null }) {
  const report = evaluateStructure(member.structure, config.imageSize, config.score.multiBlockRatio);
  const diff = (i: number, key: 'in' | 'out' | 'k' | 'btn' | 'L' | 's') => (other && other.structure[i]?.[key] !== member.structure[i][key] ? 'diff' : undefined);
  // a latency the profile cannot predict (∞) has no share to show
  const share = (value: number, budget: number | null) => (budget && Number.isFinite(value) ? ` (${((100 * value) / budget).toFixed(1)}% of the budget)` : '');
  return (
    <div className="candidate">
      <p>
        score <strong data-value={member.score}>{member.score.toFixed(3)}</strong> · {formatGiga(member.flops)} FLOPs{share(member.flops, config.budgets.flops)} · {formatMega(member.params)} params
        {share(member.params, config.budgets.params)} · {member.layers} layers{share(member.layers, config.budgets.layers)} · latency{' '}
        <PredictedLatency structure={member.structure} predictor={predictor} />
        {predictor && share(predictor.predictMs(member.structure), config.budgets.latency)}
      </p>
      <MeasureLatency structure={member.structure} predictor={predictor} />
      <button
        data-testid="edit-candidate"
        onClick={() => {
          useEditorStore.getState().open(member.structure);
          navigate(editorHash(null, config.imageSize));
        }}
      >
        Edit in the editor
      </button>
      <Suspense fallback={<p className="hint">loading the exporters…</p>}>
        <CandidateActions member={member} ratio={config.score.multiBlockRatio} name={`maedet_${member.score.toFixed(0)}`} />
      </Suspense>
      <NetworkDrawing structure={member.structure} report={report} />
      <h3>Score per stage (r_i·S_i, stages C1…C5)</h3>
      <StageBars values={report.madnasPerStage} />
      <table className="blocks">
        <thead>
          <tr>
            <th>block</th>
            <th>in→out</th>
            <th>s</th>
            <th>k</th>
            <th>btn</th>
            <th>L</th>
            <th>params</th>
            <th>FLOPs</th>
          </tr>
        </thead>
        <tbody>
          {member.structure.map((b, i) => (
            <tr key={i}>
              <td>{i}</td>
              <td className={diff(i, 'out') ?? diff(i, 'in')}>
                {b.in}→{b.out}
              </td>
              <td className={diff(i, 's')}>{b.s}</td>
              <td className={diff(i, 'k')}>{b.k}</td>
              <td className={diff(i, 'btn')}>{b.btn ?? ''}</td>
              <td className={diff(i, 'L')}>{b.L ?? ''}</td>
              <td>{formatMega(report.blocks[i].params)}</td>
              <td>{formatGiga(report.blocks[i].flops)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The selected candidate (and a second one, shift-clicked, side by side with differences marked). */
export function CandidateView() {
  const selected = useRunStore((s) => s.selected);
  const config = useRunStore((s) => s.config);
  const predictor = usePredictor(config);
  const heading = useRef<HTMLHeadingElement>(null);
  // a pick (click, Enter, a chart point) brings the view into sight and moves focus to it, so
  // picking a row far above does not seem to do nothing; the selection changes only on a pick
  useEffect(() => {
    if (selected.length === 0) return;
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [selected]);
  if (!config || selected.length === 0) return null;
  const members = selected.map((c) => c.member);
  return (
    <section className="panel architecture" data-testid="architecture-view" aria-labelledby="candidate-heading">
      <h2 id="candidate-heading" ref={heading} tabIndex={-1}>
        {members.length === 2 ? 'Compare candidates' : 'Candidate'}
      </h2>
      <div className="candidates">
        {members.map((m, i) => (
          <Candidate key={i} member={m} other={members[1 - i]} config={config} predictor={predictor} />
        ))}
      </div>
      {members.length === 1 && <p className="hint">Shift-click another point or row (or Shift+Enter on it) to compare.</p>}
    </section>
  );
}
