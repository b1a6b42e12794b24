import { useState } from 'react';
import { learnHash } from '../route';

const STORAGE_KEY = 'maedet-studio/newcomer-dismissed';

function dismissed(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

/** The first step for a beginner: the lesson, until they say they have seen it. */
export function Newcomer() {
  const [hidden, setHidden] = useState(dismissed);
  if (hidden) return null;
  const dismiss = () => {
    setHidden(true);
    try {
      localStorage.setItem(STORAGE_KEY, '1');
    } catch {
      // shown again next visit
    }
  };
  return (
    <aside className="panel newcomer" aria-label="New here?">
      <p>
        <strong>New here?</strong> <a href={learnHash(1, false)}>Take the seven-step lesson</a>: what the score measures, how the search uses it, and how a
        found backbone goes into a detector. Or press Start: the default set-up is MAE-DET&apos;s detection search.
      </p>
      <button onClick={dismiss} aria-label="Hide this note">
        Hide
      </button>
    </aside>
  );
}
