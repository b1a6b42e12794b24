import type { RunConfig } from '../../engine/config';
import { downloadFile } from '../download';
import { formatCount } from '../format';
import { useRunStore } from '../stores/runStore';

function eta(remaining: number, rate: number): string {
  if (!(rate > 0)) return '—';
  const s = remaining / rate;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Start / Pause / Resume / Stop / Reset and the progress of the run. */
export function RunControls({ config, invalid }: { config: RunConfig | null; invalid: string | null }) {
  // each value picked on its own, so a report re-renders this panel only for what it changed
  const status = useRunStore((s) => s.status);
  const progress = useRunStore((s) => s.progress);
  const best = useRunStore((s) => (s.population.count > 0 ? s.population.score[0] : undefined));
  const error = useRunStore((s) => s.error);
  const { start, pause, resume, stop, reset, loadRun, runFile } = useRunStore.getState();
  const active = status === 'running' || status === 'paused';
  const fraction = progress && progress.total > 0 ? progress.evaluated / progress.total : 0;
  return (
    <section className="panel run-controls" aria-label="Run">
      <div className="buttons">
        <button data-testid="start-search" disabled={active || !config} title={invalid ?? undefined} onClick={() => config && void start(config)}>
          Start
        </button>
        <button data-testid="pause-search" disabled={!active} onClick={() => (status === 'paused' ? resume() : pause())}>
          {status === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <button data-testid="stop-search" disabled={!active} onClick={stop}>
          Stop
        </button>
        <button onClick={reset} disabled={status === 'idle'}>
          Reset
        </button>
        <button data-testid="save-run" disabled={active || !progress} onClick={() => void runFile().then((run) => run && downloadFile('run.json', `${JSON.stringify(run, null, 1)}\n`, 'application/json'))}>
          Save run
        </button>
        <label className="button">
          Load run
          <input data-testid="load-run" type="file" accept=".json,application/json" disabled={active} onChange={(e) => void e.target.files?.[0]?.text().then(loadRun)} />
        </label>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="run-error">
          {error}
        </p>
      )}
      {invalid && !active && <p className="field-error why-disabled">Start is disabled: {invalid}</p>}
      <progress max={1} value={fraction} aria-label="children evaluated" />
      <dl className="stats">
        <dt>Evaluated</dt>
        <dd>
          <span data-testid="evaluated-count">{progress?.evaluated ?? 0}</span> / {formatCount(progress?.total ?? config?.search.numRandomNets ?? 0)}
        </dd>
        <dt>Best score</dt>
        <dd data-testid="best-score" data-value={best ?? ''}>
          {best !== undefined ? best.toFixed(2) : '—'}
        </dd>
        <dt>Children / s</dt>
        <dd data-testid="children-per-second" data-value={progress?.childrenPerSecond ?? ''}>
          {progress ? formatCount(progress.childrenPerSecond) : '—'}
        </dd>
        {progress?.scoring && (
          <>
            <dt>Measured / s</dt>
            <dd data-testid="scored-per-second" title={progress.scoring.provider}>
              {progress.seconds > 0 ? (progress.scoring.scored / progress.seconds).toFixed(2) : '—'} on {progress.scoring.provider || '…'}
            </dd>
          </>
        )}
        <dt>ETA</dt>
        <dd>{progress && active ? eta(progress.total - progress.evaluated, progress.childrenPerSecond) : '—'}</dd>
        <dt>Status</dt>
        <dd data-testid="run-status">{status}</dd>
      </dl>
    </section>
  );
}
