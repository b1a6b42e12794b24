/** Argument and file helpers shared by the CLI's commands. */
import { readFileSync } from 'node:fs';
import { expectation, fits, type ConfigField } from '../engine/configFields';

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

/** an option's text as the value of its config field, or a usage error naming the option and what it expects */
export function fieldOption(text: string, name: string, field: ConfigField): unknown {
  const value = field.kind === 'number' ? (text.trim() === '' ? NaN : Number(text)) : text;
  if (!fits(field, value)) throw new UsageError(`--${name}: found ${JSON.stringify(text)}, expected ${expectation(field)}`);
  return value;
}
