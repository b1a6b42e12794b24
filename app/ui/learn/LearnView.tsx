/**
 * The lesson: eight steps from "why zero-shot" to an exported backbone and a check against trained
 * networks, each with a live widget.
 * Every step has its own URL (`#/learn/<n>`); presenter mode (`?presenter`) hides the side
 * panels and enlarges the text for teaching, and the arrow keys move between steps.
 */
import { useEffect, type ComponentType } from 'react';
import { learnHash, LESSON_STEPS, navigate, parseRoute } from '../route';
import { WhyZeroShot } from './steps/WhyZeroShot';
import { ConvStd } from './steps/ConvStd';
import { StageBuilder } from './steps/StageBuilder';
import { MultiScale } from './steps/MultiScale';
import { BudgetFrontier } from './steps/BudgetFrontier';
import { SearchLoop } from './steps/SearchLoop';
import { ExportBackbone } from './steps/ExportBackbone';
import { DoesItWork } from './steps/DoesItWork';
import './learn.css';

const STEPS: { title: string; Widget: ComponentType }[] = [
  { title: 'Why zero-shot', Widget: WhyZeroShot },
  { title: 'Entropy and the std of a conv', Widget: ConvStd },
  { title: 'Stacking layers', Widget: StageBuilder },
  { title: 'Multi-scale features for detection', Widget: MultiScale },
  { title: 'Budgets make it a trade-off', Widget: BudgetFrontier },
  { title: 'The search loop', Widget: SearchLoop },
  { title: 'From score to backbone', Widget: ExportBackbone },
  { title: 'Does it work?', Widget: DoesItWork },
];
if (STEPS.length !== LESSON_STEPS) throw new Error('the lesson and its routes disagree on the number of steps');

const clampStep = (n: number) => Math.min(Math.max(n, 1), LESSON_STEPS);

export function LearnView({ step, presenter }: { step: number; presenter: boolean }) {
  const go = (n: number) => navigate(learnHash(clampStep(n), presenter));
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
      // read the hash, not the props: a key press can come before React has rendered (and
      // re-subscribed after) the previous one
      const route = parseRoute(location.hash);
      if (route.view !== 'learn') return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') navigate(learnHash(clampStep(route.step + 1), route.presenter));
      if (e.key === 'ArrowLeft' || e.key === 'PageUp') navigate(learnHash(clampStep(route.step - 1), route.presenter));
      if (e.key === 'Escape' && route.presenter) navigate(learnHash(route.step, false));
    };
    addEventListener('keydown', keys);
    return () => removeEventListener('keydown', keys);
  }, []);
  const { title, Widget } = STEPS[step - 1];
  return (
    <div className={presenter ? 'lesson presenter' : 'lesson'}>
      {!presenter && (
        <nav className="panel lesson-toc" aria-label="lesson steps">
          <h2>Learn zero-shot NAS</h2>
          <ol>
            {STEPS.map((s, i) => (
              <li key={s.title}>
                <a href={learnHash(i + 1, false)} aria-current={i + 1 === step ? 'step' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ol>
          <p className="hint">← → move between steps. Presenter mode hides the panels for teaching.</p>
        </nav>
      )}
      <article className="panel lesson-step" data-testid="lesson-step" data-step={step} aria-labelledby="lesson-title">
        <header className="lesson-head">
          <h2 id="lesson-title">
            {step}. {title}
          </h2>
          <a className="button" href={learnHash(step, !presenter)} data-testid="presenter-toggle">
            {presenter ? 'Leave presenter mode' : 'Presenter mode'}
          </a>
        </header>
        <Widget key={step} />
        <footer className="lesson-nav">
          <button onClick={() => go(step - 1)} disabled={step === 1}>
            ← previous
          </button>
          <span>
            {step} / {LESSON_STEPS}
          </span>
          <button onClick={() => go(step + 1)} disabled={step === LESSON_STEPS} data-testid="lesson-next">
            next →
          </button>
        </footer>
      </article>
    </div>
  );
}
