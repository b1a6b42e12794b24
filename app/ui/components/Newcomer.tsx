import { useState } from 'react';
import { readPreference, writePreference } from '../preference';
import { learnHash, LESSON_STEPS } from '../route';

const STORAGE_KEY = 'maedet-studio/newcomer-dismissed';

/** The first step for a beginner: the lesson, until they say they have seen it. */
export function Newcomer() {
  const [hidden, setHidden] = useState(() => readPreference(STORAGE_KEY) === '1');
  if (hidden) return null;
  const dismiss = () => {
    setHidden(true);
    writePreference(STORAGE_KEY, '1');
  };
  return (
    <aside className="panel newcomer" aria-label="New here?">
      <p>
        <strong>New here?</strong> <a href={learnHash(1, false)}>Take the {LESSON_STEPS}-step lesson</a>: what the score measures, how the search uses it, how a
        found backbone goes into a detector, and whether the score predicts trained accuracy. Or press Start: the default set-up is MAE-DET&apos;s detection search.
      </p>
      <button onClick={dismiss} aria-label="Hide this note">
        Hide
      </button>
    </aside>
  );
}
