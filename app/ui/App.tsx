import { lazy, memo, Suspense, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { RunConfig } from '../engine/config';
import { CandidateView } from './components/CandidateView';
import { learnHash, parseRoute, useHash } from './route';
import { ConstraintPanel } from './components/ConstraintPanel';
import { EntropyPanel } from './components/EntropyPanel';
import { HistoryChart } from './components/HistoryChart';
import { Leaderboard } from './components/Leaderboard';
import { PopulationChart } from './components/PopulationChart';
import { RunControls } from './components/RunControls';
import { buildConfig, draftToHash } from './configForm';
import { ReferenceTable } from './ReferenceTable';
import { useConfigStore } from './stores/configStore';
import { useRunStore } from './stores/runStore';

type Theme = 'light' | 'dark';

// the editor loads when opened, so the studio's page stays as small as it was
const EditorView = lazy(() => import('./components/EditorView').then((m) => ({ default: m.EditorView })));
const LearnView = lazy(() => import('./learn/LearnView').then((m) => ({ default: m.LearnView })));

/**
 * The studio's results column. Memoised: a change of run status re-renders the set-up (disabled
 * while a search runs) and the panels that follow the run store themselves, not all of these.
 */
const StudioResults = memo(function StudioResults({ config, invalid }: { config: RunConfig | null; invalid: string | null }) {
  return (
    <div className="results">
      <RunControls config={config} invalid={invalid} />
      <PopulationChart draftConfig={config} />
      <HistoryChart />
      <Leaderboard />
      <CandidateView />
      <EntropyPanel />
      <details className="panel references">
        <summary>Reference networks</summary>
        <ReferenceTable />
      </details>
    </div>
  );
});

export function App() {
  const draft = useConfigStore((s) => s.draft);
  // deferred: Start's own task stays short; the set-up greys out a moment later
  const busy = useDeferredValue(useRunStore((s) => s.status === 'running' || s.status === 'paused'));
  const { config, errors, summary } = useMemo(() => buildConfig(draft), [draft]);
  const [theme, setTheme] = useState<Theme>(() => (matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));

  const route = parseRoute(useHash());
  // on the studio, the configuration lives in the URL, so a link reproduces the run
  useEffect(() => {
    if (route.view === 'studio') history.replaceState(null, '', draftToHash(draft));
  }, [draft, route.view]);
  useEffect(() => void (document.documentElement.dataset.theme = theme), [theme]);

  return (
    <div className="app">
      <header className="top">
        <h1>MAE-DET Studio</h1>
        <p>Zero-shot search for detection backbones: maximise an entropy-based score of the multi-scale features under a budget — no training.</p>
        <nav className="views" aria-label="views">
          <a href={draftToHash(draft)} aria-current={route.view === 'studio' ? 'page' : undefined}>
            Studio
          </a>
          <a href="#/editor" aria-current={route.view === 'editor' ? 'page' : undefined}>
            Editor
          </a>
          <a href={learnHash(1, false)} aria-current={route.view === 'learn' ? 'page' : undefined}>
            Learn
          </a>
        </nav>
        <button className="theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="toggle dark theme">
          {theme === 'dark' ? '☀ light' : '☾ dark'}
        </button>
      </header>
      {route.view === 'learn' ? (
        <main className="layout-wide">
          <Suspense fallback={<p className="hint">loading the lesson…</p>}>
            <LearnView step={route.step} presenter={route.presenter} />
          </Suspense>
        </main>
      ) : (
        <main className="layout">
          <aside>
            <ConstraintPanel errors={errors} disabled={busy} />
          </aside>
          {route.view === 'editor' ? (
            <div className="results">
              <Suspense fallback={<p className="hint">loading the editor…</p>}>
                <EditorView network={route.network} resolution={route.resolution} config={config} />
              </Suspense>
            </div>
          ) : (
            <StudioResults config={config} invalid={summary} />
          )}
        </main>
      )}
    </div>
  );
}
