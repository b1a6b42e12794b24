/**
 * The editor's work per edit on MAE-DET-L (the largest preset): apply the edit (with the
 * structure reader's full validation) and compute everything the editor shows — report, budget
 * fit, space. The bar is 16 ms per edit; the page adds one React render on top.
 */
import { presetConfig, budgetsOf } from '../app/engine/config';
import { applyEdit, viewEdited, type StructureEdit } from '../app/engine/edit';
import { findReferenceNetwork } from '../app/engine/referenceNetworks';

function describeEdit(edit: StructureEdit): string {
  switch (edit.type) {
    case 'set':
      return `set block ${edit.block} ${edit.key} = ${edit.value}`;
    case 'insert':
      return `insert a block after block ${edit.after}`;
    case 'remove':
      return `remove block ${edit.block}`;
    case 'class':
      return `block ${edit.block} → ${edit.className}`;
  }
}

type Table = (title: string, header: string[], rows: (string | number)[][]) => void;

export function editorBench(table: Table, median: (values: number[]) => number): void {
  const config = presetConfig('detection-r50');
  const budgets = budgetsOf(config);
  const start = findReferenceNetwork('maedet_l')!.structure;
  const last = start.length - 1;
  const edits: StructureEdit[] = [
    { type: 'set', block: last, key: 'L', value: 12 },
    { type: 'set', block: 3, key: 'btn', value: 128 },
    { type: 'set', block: 2, key: 'k', value: 5 },
    { type: 'insert', after: 2 },
    { type: 'remove', block: 3 },
    { type: 'class', block: 1, className: 'SuperResKXKX' },
  ];
  const rows: (string | number)[][] = [];
  for (const edit of edits) {
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = performance.now();
      const result = applyEdit(start, edit);
      if (!result.ok) throw new Error(result.reason);
      viewEdited(result.structure, 480, config.score.multiBlockRatio, budgets);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push([describeEdit(edit), (median(times) * 1000).toFixed(1), (times[Math.floor(times.length * 0.99)] * 1000).toFixed(1)]);
  }
  table('Editor: one edit of MAE-DET-L, validated and fully re-evaluated (2,000 each; target < 16,000 µs)', ['edit', 'median µs', 'p99 µs'], rows);
}
