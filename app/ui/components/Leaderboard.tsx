import { useDeferredValue, useMemo, useState } from 'react';
import { firstMembers } from '../../engine/evolution/codec';
import type { MemberRecord } from '../../engine/evolution/population';
import { stageInfo } from '../../engine/cost';
import { structureKey, toJSON, toTinyNAS } from '../../engine/structure';
import { downloadFile } from '../download';
import { formatGiga, formatLatency, formatMega } from '../format';
import { usePredictor } from '../stores/latencyStore';
import { useRunStore } from '../stores/runStore';
import { predictionSource } from './PredictedLatency';
import { NumbersHelp } from './NumbersHelp';

type SortKey = 'score' | 'flops' | 'params' | 'layers' | 'latency';
const TOP = 20;

/** depth per stage: inner blocks in each stage (cumulative counts differenced) */
function stageDepths(m: MemberRecord): string {
  const cumulative = stageInfo(m.structure).blockNum;
  return cumulative.map((n, i) => n - (cumulative[i - 1] ?? 0)).join('·');
}

/** The best candidates, sortable; click a row to inspect it, shift-click to compare. */
export function Leaderboard() {
  const selected = useRunStore((s) => s.selected);
  const config = useRunStore((s) => s.config);
  const resolution = config?.imageSize;
  const predictor = usePredictor(config);
  const select = useRunStore((s) => s.select);
  // deferred: React builds the rows in slices it can interrupt, between the page's frames
  const population = useDeferredValue(useRunStore((s) => s.population));
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'score', descending: true });
  // only the rows on screen are built from the columns, once per population sent
  const top = useMemo(
    () => firstMembers(population, TOP).map((m, rank) => ({ m, rank: rank + 1, key: structureKey(m.structure), depths: stageDepths(m), latency: predictor?.predictMs(m.structure) ?? null })),
    [population, predictor],
  );
  if (top.length === 0) return null;
  // without a profile there is no latency column to sort by
  const by = sort.key === 'latency' && !predictor ? 'score' : sort.key;
  const value = (row: (typeof top)[number]) => (by === 'latency' ? row.latency! : row.m[by]);
  const rows = [...top].sort((a, b) => (sort.descending ? -1 : 1) * (value(a) - value(b)) || a.rank - b.rank);
  const header = (key: SortKey, label: string, title?: string) => (
    <th scope="col" aria-sort={by === key ? (sort.descending ? 'descending' : 'ascending') : 'none'} title={title}>
      <button className="link" data-testid={`sort-${key}`} onClick={() => setSort({ key, descending: by === key ? !sort.descending : true })}>
        {label}
        {by === key ? (sort.descending ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
  return (
    <section className="panel leaderboard">
      <h2>Leaderboard</h2>
      <p className="hint">Enter or a click on a row shows the candidate; with Shift, compares two.</p>
      <table data-testid="leaderboard">
        <thead>
          <tr>
            <th scope="col">#</th>
            {header('score', 'Score')}
            {header('flops', `FLOPs at ${resolution}²`)}
            {header('params', 'Params')}
            {header('layers', 'Layers')}
            {predictor && header('latency', `Latency @${predictor.resolution} px`, predictionSource(predictor))}
            <th scope="col">Depth per stage (C1·…·C5)</th>
            <th scope="col">Files</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ m, rank, key, depths, latency }) => (
            <tr
              key={key}
              data-testid="leaderboard-row"
              className={selected.some((c) => c.key === key) ? 'selected' : undefined}
              tabIndex={0}
              onClick={(e) => select(m, e.shiftKey)}
              aria-selected={selected.some((c) => c.key === key)}
              onKeyDown={(e) => {
                if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
                // Space would also scroll the page, taking the row out of view
                e.preventDefault();
                select(m, e.shiftKey);
              }}
            >
              <td>{rank}</td>
              <td data-value={m.score}>{m.score.toFixed(2)}</td>
              <td>{formatGiga(m.flops)}</td>
              <td>{formatMega(m.params)}</td>
              <td>{m.layers}</td>
              {latency !== null && <td data-testid="leaderboard-latency" data-value={Number.isFinite(latency) ? latency : ''}>{formatLatency(latency)}</td>}
              <td>{depths}</td>
              <td onClick={(e) => e.stopPropagation()}>
                <button data-testid="download-structure" aria-label={`Download rank ${rank} as TinyNAS .txt`} onClick={() => downloadFile(`maedet-rank${rank}.txt`, toTinyNAS([m.structure]))}>
                  .txt
                </button>{' '}
                <button aria-label={`Download rank ${rank} as JSON`} onClick={() => downloadFile(`maedet-rank${rank}.json`, toJSON(m.structure), 'application/json')}>
                  .json
                </button>{' '}
                <button aria-label={`Copy rank ${rank} as TinyNAS text`} onClick={() => void navigator.clipboard?.writeText(toTinyNAS([m.structure]))}>
                  copy
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {resolution !== undefined && <NumbersHelp resolution={resolution} predictor={predictor} />}
    </section>
  );
}
