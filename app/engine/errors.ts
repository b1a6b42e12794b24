/**
 * Every bad input the engine meets becomes one of these: a message a person can act on, plus the
 * location (block index and key, or config path) for programs that want to point at the field.
 */
export class StructureError extends Error {
  readonly blockIndex: number | undefined;
  readonly key: string | undefined;

  constructor(message: string, where: { blockIndex?: number; key?: string } = {}) {
    super(message);
    this.name = 'StructureError';
    this.blockIndex = where.blockIndex;
    this.key = where.key;
  }
}

/** A syntax error in a structure file, with the 1-based line and column. */
export class ParseError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'ParseError';
    this.line = line;
    this.column = column;
  }
}

/** A run configuration that cannot be used; `path` names the field, e.g. `budgets.flops`. */
export class ConfigError extends Error {
  readonly path: string;
  /** the message without the path, for a form that shows it beside the field */
  readonly reason: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ConfigError';
    this.path = path;
    this.reason = message;
  }
}

/** Describe a found value briefly for an error message (never dumps a huge object). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'a dict';
}

/** an integer option from min to max, or a ConfigError naming it and what was expected */
export function integerSetting(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `found ${describeValue(value)}, expected an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}`);
  }
  return value;
}
