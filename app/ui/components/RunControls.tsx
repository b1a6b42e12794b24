import { useEffect, useRef } from 'react';
import type { RunConfig } from '../../engine/config';
import { downloadFile } from '../download';
import { formatCount } from '../format';
import { useRunStore, type RunState } from '../stores/runStore';
import { useLatencyStore } from '../stores/latencyStore';
import { ActionButton } from './ActionButton';
import { useInfo } from './Info';
import { SCORE_HELP } from './NumbersHelp';

function eta(remaining: number, rate: number): string {
  if (!(rate > 0)) return '—';
  const s = remaining / rate;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** each live figure's text (and `data-value`, the exact number, for tests and tools), by test id */
function liveFigures({ progress, population, status }: RunState): Record<string, { text: string; value?: number | '' }> {
  const best = population.count > 0 ? population.score[0] : undefined;
  const active = status === 'running' || status === 'paused';
  return {
    'evaluated-count': { text: String(progress?.evaluated ?? 0) },
    'best-score': { text: best !== undefined ? best.toFixed(2) : '—', value: best ?? '' },
    'children-per-second': { text: progress ? formatCount(progress.childrenPerSecond) : '—', value: progress?.childrenPerSecond ?? '' },
    'scored-per-second': { text: progress?.scoring ? `${progress.seconds > 0 ? (progress.scoring.scored / progress.seconds).toFixed(2) : '—'} on ${progress.scoring.provider || '…'}` : '' },
    eta: { text: progress && active ? eta(progress.total - progress.evaluated, progress.childrenPerSecond) : '—' },
  };
}

/**
 * Keeps the live figures under `root` current outside React: a report rewrites a few text nodes
 * and the progress bar, and renders no component (the page's whole work for most reports).
 */
function useLiveFigures(root: React.RefObject<HTMLElement | null>, shape: unknown) {
  useEffect(() => {
    const write = (state: RunState) => {
      const element = root.current;
      if (!element) return;
      for (const [id, { text, value }] of Object.entries(liveFigures(state))) {
        const node = element.querySelector(`[data-testid="${id}"]`);
        if (!node) continue;
        if (node.textContent !== text) node.textContent = text;
        if (value !== undefined) node.setAttribute('data-value', String(value));
      }
      const { progress } = state;
      element.querySelector('progress')!.value = progress && progress.total > 0 ? progress.evaluated / progress.total : 0;
    };
    write(useRunStore.getState());
    return useRunStore.subscribe((s, before) => (s.progress !== before.progress || s.population !== before.population || s.status !== before.status) && write(s));
    // `shape`: a figure that appeared (the measured rate) is written at once
  }, [root, shape]);
}

/** An autosave this version cannot read: why, its raw record to keep, and a way to discard it. */
function UnreadableSave() {
  const reason = useRunStore((s) => s.unreadableSave);
  const { unreadableSaveText, discardUnreadableSave } = useRunStore.getState();
  if (!reason) return null;
  return (
    <div className="field-error" role="alert" data-testid="unreadable-save">
      <p>{reason}</p>
      <p>It is kept until you discard it or start a new run. Download it to keep it, or to report it.</p>
      <button data-testid="download-unreadable-save" onClick={() => void unreadableSaveText().then((text) => text && downloadFile('autosave-record.json', `${text}\n`, 'application/json'))}>
        Download the record
      </button>
      <button data-testid="discard-unreadable-save" onClick={() => void discardUnreadableSave()}>
        Discard it
      </button>
    </div>
  );
}

/** While another tab keeps the autosave: say so, and offer to keep it here instead. */
function AutosaveElsewhere() {
  const autosave = useRunStore((s) => s.autosave);
  if (autosave === 'this-tab') return null;
  return (
    <p className="hint" role="status" data-testid="autosave-elsewhere">
      {autosave === 'other-tab'
        ? 'The studio is open in another tab, which keeps the autosave: runs in this tab are not saved.'
        : "Another tab took over the autosave: this tab's runs are no longer saved."}{' '}
      <button data-testid="take-over-autosave" onClick={() => void useRunStore.getState().takeOverAutosave()}>
        Keep the autosave here
      </button>
    </p>
  );
}

/** Start / Pause / Resume / Stop / Reset and the progress of the run. */
export function RunControls({ config, invalid }: { config: RunConfig | null; invalid: string | null }) {
  // only what changes a few times a run is React state here; the live figures follow the store
  const status = useRunStore((s) => s.status);
  const hasProgress = useRunStore((s) => s.progress !== null);
  const total = useRunStore((s) => s.progress?.total) ?? config?.search.numRandomNets ?? 0;
  const measured = useRunStore((s) => s.progress?.scoring !== undefined);
  const provider = useRunStore((s) => s.progress?.scoring?.provider);
  const error = useRunStore((s) => s.error);
  const workerDied = useRunStore((s) => s.workerDied);
  // while this device is timed (latency) the search stays paused: its workers would share the cores
  const timing = useLatencyStore((s) => s.job !== null);
  const { start, pause, resume, stop, reset, loadRun, runFile, resumeAfterCrash } = useRunStore.getState();
  const active = status === 'running' || status === 'paused';
  const root = useRef<HTMLElement>(null);
  const loadInput = useRef<HTMLInputElement>(null);
  const scoreInfo = useInfo('the score', SCORE_HELP);
  useLiveFigures(root, measured);
  return (
    <section className="panel run-controls" aria-label="Run" ref={root}>
      <div className="buttons">
        <ActionButton
          data-testid="start-search"
          disabled={active || !config || timing}
          aria-describedby={timing ? 'why-timing' : invalid && !active ? 'why-start-disabled' : undefined}
          onClick={() => config && void start(config)}
        >
          Start
        </ActionButton>
        <ActionButton data-testid="pause-search" disabled={!active || (timing && status === 'paused')} onClick={() => (status === 'paused' ? resume() : pause())}>
          {status === 'paused' ? 'Resume' : 'Pause'}
        </ActionButton>
        <ActionButton data-testid="stop-search" disabled={!active} onClick={stop}>
          Stop
        </ActionButton>
        <ActionButton onClick={reset} disabled={status === 'idle'}>
          Reset
        </ActionButton>
        <ActionButton data-testid="save-run" disabled={active || !hasProgress} onClick={() => void runFile().then((run) => run && downloadFile('run.json', `${JSON.stringify(run, null, 1)}\n`, 'application/json'))}>
          Save run
        </ActionButton>
        {/* a real button opens the file picker, so the keyboard reaches it (a label around a hidden input is skipped by Tab) */}
        <ActionButton disabled={active} onClick={() => loadInput.current?.click()}>
          Load run
        </ActionButton>
        <input
          ref={loadInput}
          data-testid="load-run"
          type="file"
          accept=".json,application/json"
          hidden
          disabled={active}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // the same file can be loaded again
            e.target.value = '';
            void file?.text().then(loadRun);
          }}
        />
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="run-error">
          {error}{' '}
          {workerDied && (
            <button data-testid="resume-after-crash" onClick={() => void resumeAfterCrash()}>
              Resume from the autosave
            </button>
          )}
        </p>
      )}
      <UnreadableSave />
      <AutosaveElsewhere />
      {timing && (
        <p className="hint" id="why-timing">
          This device is being timed (latency): the search waits, and goes on after.
        </p>
      )}
      {invalid && !active && (
        <p className="field-error why-disabled" id="why-start-disabled">
          Start is disabled: {invalid}
        </p>
      )}
      {scoreInfo.text}
      <progress max={1} aria-label="children evaluated" />
      <dl className="stats">
        <dt>Evaluated</dt>
        <dd>
          <span data-testid="evaluated-count" /> / {formatCount(total)}
        </dd>
        <dt>
          Best score {scoreInfo.button}
        </dt>
        <dd data-testid="best-score" />
        <dt>Children / s</dt>
        <dd data-testid="children-per-second" />
        {measured && (
          <>
            <dt>Measured / s</dt>
            <dd data-testid="scored-per-second" title={provider} />
          </>
        )}
        <dt>ETA</dt>
        <dd data-testid="eta" />
        <dt>Status</dt>
        <dd data-testid="run-status">{status}</dd>
      </dl>
    </section>
  );
}
