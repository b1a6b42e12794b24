/**
 * Small choices remembered across visits (the theme, a dismissed note) in localStorage. Storage can
 * be off (private windows, policies): then nothing is remembered and the defaults apply.
 */
export function readPreference(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** remember a value, or forget it with null */
export function writePreference(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // not remembered; the choice still applies to this page
  }
}
