/** Argument and file helpers shared by the CLI's commands. */
import { readFileSync } from 'node:fs';

/** A bad command line: reported with a pointer to the usage text, exit status 2. */
export class UsageError extends Error {}

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { cause: e });
  }
}

export function integerOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}: found ${JSON.stringify(value)}, expected an integer ≥ ${min}`);
  return n;
}
