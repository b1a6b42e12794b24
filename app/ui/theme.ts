/**
 * The colour theme: the system's until the user picks one, then the user's, remembered across
 * visits. While it follows the system it follows it live (a system switching to dark at dusk).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'maedet-studio/theme';
const DARK = '(prefers-color-scheme: dark)';

function storedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    // storage can be off (private windows, policies): the system's theme then
    return 'system';
  }
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
    try {
      if (next === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, but applied
    }
  };
  return { choice, theme, system, choose };
}
