import { lazy, Suspense } from 'react';
import type { Structure } from '../../engine/block';
import type { RunConfig } from '../../engine/config';
import { evaluateStructure, type StructureReport } from '../../engine/evaluate';
import type { MemberRecord } from '../../engine/evolution/population';
import { formatGiga, formatMega } from '../format';
import { useRunStore } from '../stores/runStore';

// the exporters (protobufjs, the ONNX and PyTorch writers) load with the first candidate shown,
// not with the page
const CandidateActions = lazy(() => import('./CandidateActions').then((m) => ({ default: m.CandidateActions })));

const OUTPUT_NAMES = ['C1', 'C2', 'C3', 'C4', 'C5'];

/** The network drawn as blocks: width ∝ log channels, height ∝ depth; stride-2 boundaries and C2–C5 outputs marked. */
function Drawing({ structure, report }: { structure: Structure; report: StructureReport }) {
  const maxL = Math.max(...structure.map((b) => b.L ?? 1));
  const col = 118;
  const outputs = new Map(report.stageInfo.idx.map((blockIndex, stage) => [blockIndex, OUTPUT_NAMES[stage]]));
  return (
    <svg viewBox={`0 0 ${structure.length * col + 10} 190`} role="img" aria-label="architecture drawing" className="drawing">
      {structure.map((b, i) => {
        const width = 20 + (Math.log2(b.out) / 11) * (col - 40);
        const height = 20 + ((b.L ?? 1) / maxL) * 110;
        const x = 10 + i * col + (col - 10 - width) / 2;
        const y = 140 - height;
        return (
          <g key={i}>
            {b.s === 2 && i > 0 && <line x1={10 + i * col - 4} x2={10 + i * col - 4} y1={10} y2={150} className="stride" />}
            <rect x={x} y={y} width={width} height={height} rx={4} className={b.class === 'ConvKXBNRELU' ? 'stem' : 'block'} />
            <text x={10 + i * col + (col - 10) / 2} y={y - 4} textAnchor="middle" className="small">
              {b.class === 'ConvKXBNRELU' ? `stem k${b.k}` : `k${b.k} btn${b.btn} ×${b.L}`}
            </text>
            <text x={10 + i * col + (col - 10) / 2} y={158} textAnchor="middle" className="small">
              {b.in}→{b.out}
              {b.s === 2 ? ' /2' : ''}
            </text>
            {outputs.has(i) && i > 0 && (
              <text x={10 + i * col + (col - 10) / 2} y={176} textAnchor="middle" className="output">
                {outputs.get(i)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function Candidate({ member, other, config }: { member: MemberRecord; other: MemberRecord | undefined; config: RunConfig }) {
  const report = evaluateStructure(member.structure, config.imageSize, config.score.multiBlockRatio);
  const maxStage = Math.max(...report.madnasPerStage.map(Math.abs), 1e-9);
  const diff = (i: number, key: 'in' | 'out' | 'k' | 'btn' | 'L' | 's') => (other && other.structure[i]?.[key] !== member.structure[i][key] ? 'diff' : undefined);
  const share = (value: number, budget: number | null) => (budget ? ` (${((100 * value) / budget).toFixed(1)}% of the budget)` : '');
  return (
    <div className="candidate">
      <p>
        score <strong data-value={member.score}>{member.score.toFixed(3)}</strong> · {formatGiga(member.flops)} FLOPs{share(member.flops, config.budgets.flops)} · {formatMega(member.params)} params
        {share(member.params, config.budgets.params)} · {member.layers} layers{share(member.layers, config.budgets.layers)}
      </p>
      <Suspense fallback={<p className="hint">loading the exporters…</p>}>
        <CandidateActions member={member} ratio={config.score.multiBlockRatio} name={`maedet_${member.score.toFixed(0)}`} />
      </Suspense>
      <Drawing structure={member.structure} report={report} />
      <h3>Entropy score per stage</h3>
      <div className="bars">
        {report.madnasPerStage.map((v, i) => (
          <div key={i} className="bar-row">
            <span>stage {i}</span>
            <span className="bar" style={{ width: `${(100 * Math.abs(v)) / maxStage}%` }} />
            <span>{v.toFixed(1)}</span>
          </div>
        ))}
      </div>
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
export function ArchitectureView() {
  const selected = useRunStore((s) => s.selected);
  const config = useRunStore((s) => s.config);
  if (!config || selected.length === 0) return null;
  const members = selected.map((c) => c.member);
  return (
    <section className="panel architecture" data-testid="architecture-view">
      <h2>{members.length === 2 ? 'Compare candidates' : 'Candidate'}</h2>
      <div className="candidates">
        {members.map((m, i) => (
          <Candidate key={i} member={m} other={members[1 - i]} config={config} />
        ))}
      </div>
      {members.length === 1 && <p className="hint">Shift-click another point or row to compare.</p>}
    </section>
  );
}
