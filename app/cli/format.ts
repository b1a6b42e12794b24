/** Text output of the CLI: the evaluate table and the live progress bar. */
import type { Structure } from '../engine/block';
import type { StructureReport } from '../engine/evaluate';
import type { Progress } from './runSearch';

const g = (v: number) => `${(v / 1e9).toFixed(3)} G`;
const m = (v: number) => `${(v / 1e6).toFixed(3)} M`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(structure: Structure, r: StructureReport): string {
  const blocks = table(
    ['block', 'class', 'in→out', 's', 'k', 'L', 'btn', 'params', `FLOPs@${r.resolution}`],
    structure.map((b, i) => [String(i), b.class, `${b.in}→${b.out}`, String(b.s), String(b.k), String(b.L ?? ''), String(b.btn ?? ''), m(r.blocks[i].params), g(r.blocks[i].flops)]),
  );
  const info = r.stageInfo;
  const stages = table(
    ['stage', 'last block', 'blocks', 'layers', 'channels', 'side', 'madnas'],
    info.idx.map((idx, i) => [String(i), String(idx), String(info.blockNum[i]), String(info.layerNum[i]), String(info.channels[i]), String(info.featureMapSize[i]), (r.madnasPerStage[i] ?? 0).toFixed(4)]),
  );
  const summary = [
    `params        ${r.params.toLocaleString('en-US')} (${m(r.params)})`,
    `layers        ${r.layers}`,
    `FLOPs         ${r.flops.toLocaleString('en-US')} at ${r.resolution}×${r.resolution} (${g(r.flops)})`,
    `FLOPs paper   ${g(r.paperFlops1280x800)} at 1280×800 (mmcv counter, as in the MAE-DET README)`,
    `madnas        ${r.madnas.toFixed(6)}`,
    `deepmad       ${r.deepmad === null ? 'n/a' : r.deepmad.toFixed(6)}`,
    `efficient     ${r.efficientScore === null ? 'n/a' : r.efficientScore.toFixed(6)}`,
  ];
  return `${blocks}\n\n${stages}\n\n${summary.join('\n')}\n`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * A progress bar on a terminal (redrawn in place); on a pipe, one line per 10% so logs stay short.
 */
export function makeProgressBar(stream: NodeJS.WriteStream): { update: (p: Progress) => void; finish: () => void } {
  const tty = stream.isTTY === true;
  let lastDecile = -1;
  let drawn = false;
  const update = (p: Progress) => {
    const fraction = p.total > 0 ? p.evaluated / p.total : 1;
    const rate = p.seconds > 0 ? (p.evaluated - (p.resumedAt ?? 0)) / p.seconds : 0;
    const eta = rate > 0 ? (p.total - p.evaluated) / rate : Infinity;
    const width = 24;
    const filled = Math.round(fraction * width);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.evaluated.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}  best ${p.best.toFixed(2)}  ${Math.round(rate).toLocaleString('en-US')} children/s  ETA ${duration(eta)}${p.detail ? `  ${p.detail}` : ''}`;
    if (tty) {
      stream.write(`\r${text}\x1b[K`);
      drawn = true;
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${text}\n`);
      }
    }
  };
  return { update, finish: () => drawn && stream.write('\n') };
}
