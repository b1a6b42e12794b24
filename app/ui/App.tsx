import { lazy, Suspense, useDeferredValue, useEffect, useMemo } from 'react';
import { learnHash, parseRoute, useHash, VALIDATE_HASH } from './route';
import { ConstraintPanel } from './components/ConstraintPanel';
import { buildConfig, draftToHash } from './configForm';
import { useConfigStore } from './stores/configStore';
import { useRunStore } from './stores/runStore';
import { useLatencyStore, useNamedProfile } from './stores/latencyStore';
import { ProfilePanel } from './components/ProfilePanel';
import { ReloadOffer } from './components/ReloadOffer';
import { useTheme, type ThemeChoice } from './theme';

// the editor loads when opened, so the studio's page stays as small as it was
const EditorView = lazy(() => import('./components/EditorView').then((m) => ({ default: m.EditorView })));
const LearnView = lazy(() => import('./learn/LearnView').then((m) => ({ default: m.LearnView })));
const ValidateView = lazy(() => import('./validate/ValidateView').then((m) => ({ default: m.ValidateView })));
// the results column (charts, leaderboard, candidate, entropy) renders in a task of its own after
// the set-up: the page's first render is then no long task, and its code loads beside the entry
const StudioResults = lazy(() => import('./StudioResults').then((m) => ({ default: m.StudioResults })));


/** focus the view's content; where the layout dissolves its box (one column), its first control */
function skipToContent() {
  const content = document.getElementById('content');
  content?.focus();
  if (document.activeElement !== content) content?.querySelector<HTMLElement>('button, a[href], input, select, [tabindex="0"]')?.focus();
}

export function App() {
  const draft = useConfigStore((s) => s.draft);
  // deferred: Start's own task stays short; the set-up greys out a moment later
  const busy = useDeferredValue(useRunStore((s) => s.status === 'running' || s.status === 'paused'));
  const named = useNamedProfile();
  const { config, errors, summary } = useMemo(() => buildConfig(draft, named), [draft, named]);
  const { choice, system, choose } = useTheme();

  const route = parseRoute(useHash());
  useEffect(() => void useLatencyStore.getState().readStored(), []);
  // on the studio, the configuration lives in the URL, so a link reproduces the run
  useEffect(() => {
    if (route.view === 'studio') history.replaceState(null, '', draftToHash(draft));
  }, [draft, route.view]);

  return (
    <div className="app">
      <button className="skip-link" onClick={skipToContent}>
        Skip to the content
      </button>
      <ReloadOffer />
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
          <a href={VALIDATE_HASH} aria-current={route.view === 'validate' ? 'page' : undefined}>
            Validate
          </a>
        </nav>
        <label className="theme">
          Theme{' '}
          <select value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)}>
            <option value="system">as the system ({system})</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </header>
      {route.view === 'learn' ? (
        <main className="layout-wide" id="content" tabIndex={-1}>
          <Suspense fallback={<p className="hint">loading the lesson…</p>}>
            <LearnView step={route.step} presenter={route.presenter} />
          </Suspense>
        </main>
      ) : route.view === 'validate' ? (
        <main className="layout-wide" id="content" tabIndex={-1}>
          <Suspense fallback={<p className="hint">loading the validation…</p>}>
            <ValidateView />
          </Suspense>
        </main>
      ) : (
        <main className="layout">
          <aside>
            {route.view === 'editor' ? (
              // the editor needs only the budgets it checks against: the set-up stays one Tab stop away
              <details className="setup-summary">
                <summary>Search set-up (budgets the fit is checked against)</summary>
                <ConstraintPanel errors={errors} disabled={busy} />
              </details>
            ) : (
              <>
                <ConstraintPanel errors={errors} disabled={busy} />
                <ProfilePanel />
              </>
            )}
          </aside>
          {route.view === 'editor' ? (
            <div className="results" id="content" tabIndex={-1}>
              <Suspense fallback={<p className="hint">loading the editor…</p>}>
                <EditorView network={route.network} resolution={route.resolution} config={config} />
              </Suspense>
            </div>
          ) : (
            <Suspense fallback={<div className="results" id="content" tabIndex={-1} />}>
              <StudioResults config={config} invalid={summary} />
            </Suspense>
          )}
        </main>
      )}
    </div>
  );
}
