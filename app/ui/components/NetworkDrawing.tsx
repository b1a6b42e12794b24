/**
 * Pictures of a network shared by the candidate view, the editor and the lesson: the blocks drawn
 * to scale, and the entropy score's per-stage contributions as bars.
 */
import type { Block, Structure } from '../../engine/block';
import { blockKind } from '../../engine/blocks/registry';
import type { StructureReport } from '../../engine/evaluate';

const OUTPUT_NAMES = ['C1', 'C2', 'C3', 'C4', 'C5'];

/** what a block is, in a few characters: the stem or a plain conv, a super block's kernel, width and depth, an identity */
function blockLabel(b: Block, index: number): string {
  if (blockKind(b.class).isSuper) return `k${b.k} btn${b.btn} ×${b.L}`;
  if (b.class === 'Identity') return b.in === b.out && b.s === 1 ? 'identity' : `identity, conv k${b.k}`;
  return `${index === 0 ? 'stem' : 'conv'} k${b.k}`;
}

/** The network drawn as blocks: width ∝ log channels, height ∝ depth; stride-2 boundaries and C2–C5 outputs marked. */
export function NetworkDrawing({ structure, report }: { structure: Structure; report: Pick<StructureReport, 'stageInfo'> }) {
  const maxL = Math.max(...structure.map((b) => b.L ?? 1));
  const col = 118;
  const outputs = new Map(report.stageInfo.idx.map((blockIndex, stage) => [blockIndex, OUTPUT_NAMES[stage]]));
  return (
    <svg viewBox={`0 -14 ${structure.length * col + 10} 204`} role="img" aria-label="architecture drawing" className="drawing">
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
              {blockLabel(b, i)}
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

/** the weighted per-stage contributions r_i·S_i, stages C1 … C5, as bars scaled to the largest */
export function StageBars({ values }: { values: readonly number[] }) {
  const largest = Math.max(...values.map(Math.abs), 1e-9);
  return (
    <div className="bars">
      {values.map((v, i) => (
        <div key={i} className="bar-row">
          <span>C{i + 1}</span>
          <span className="bar" style={{ width: `${(100 * Math.abs(v)) / largest}%` }} />
          <span>{v.toFixed(1)}</span>
        </div>
      ))}
    </div>
  );
}
