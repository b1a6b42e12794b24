/**
 * The colour theme: the system's until the user picks one, then the user's, remembered across
 * visits. While it follows the system it follows it live (a system switching to dark at dusk).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { readPreference, writePreference } from './preference';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'maedet-studio/theme';
const DARK = '(prefers-color-scheme: dark)';

function storedChoice(): ThemeChoice {
  const value = readPreference(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

const subscribeToSystem = (onChange: () => void) => {
  const query = matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};

/** the choice, the theme it gives, and a way to change the choice */
export function useTheme(): { choice: ThemeChoice; theme: 'light' | 'dark'; system: 'light' | 'dark'; choose(choice: ThemeChoice): void } {
  const [choice, setChoice] = useState(storedChoice);
  const systemDark = useSyncExternalStore(subscribeToSystem, () => matchMedia(DARK).matches);
  const system = systemDark ? 'dark' : 'light';
  const theme = choice === 'system' ? system : choice;
  useEffect(() => void (document.documentElement.dataset.theme = theme), [theme]);
  const choose = (next: ThemeChoice) => {
    setChoice(next);
    writePreference(STORAGE_KEY, next === 'system' ? null : next);
  };
  return { choice, theme, system, choose };
}
