// The CLI as a real process, and the check every failing command must pass: nothing on stdout,
// one line on stderr starting with "error: " that says what is wrong.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { expect } from 'vitest';

export const cli = (...args: string[]) => spawnSync(process.execPath, ['app/cli/run.mjs', 'app/cli/main.ts', ...args], { encoding: 'utf8' });

export function expectOneErrorLine(r: SpawnSyncReturns<string>, status: number, message: string): void {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(message);
}
