/**
 * Reads and writes the Python literals TinyNAS saves its structures in (`ast.literal_eval` input,
 * `pprint` output). JSON is accepted by the same reader (true/false/null, double quotes), so one
 * parser serves every structure format. Untrusted text is only ever parsed, never evaluated.
 */
import { ParseError } from './errors';

export type PyValue = number | string | boolean | null | PyValue[] | PyDict;
/** A dict keeps insertion order, like Python's; a Map also keeps `__proto__` an ordinary key. */
export type PyDict = Map<string, PyValue>;

const MAX_DEPTH = 64;
const MAX_INPUT = 8 * 1024 * 1024;

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    throw new ParseError(message, line, at - lineStart + 1);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\\') {
        // a backslash continues a line in Python source
        if (c === '\\' && t[this.pos + 1] !== '\n' && t[this.pos + 1] !== '\r') return;
        this.pos++;
      } else if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else {
        return;
      }
    }
  }

  peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  expectEnd(): void {
    if (this.peek() !== undefined) this.fail(`unexpected ${JSON.stringify(this.text[this.pos])} after the end of the value`);
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.peek();
    if (c === undefined) this.fail('unexpected end of input, expected a value');
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === '{') return this.dict(depth);
    if (c === "'" || c === '"') return this.string();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
    if (/[A-Za-z_]/.test(c)) return this.word();
    return this.fail(`unexpected ${JSON.stringify(c)}, expected a value`);
  }

  private sequence(close: string, depth: number): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      if (this.peek() === close) {
        this.pos++;
        return items;
      }
      items.push(this.value(depth + 1));
      const c = this.peek();
      if (c === ',') this.pos++;
      else if (c === close) {
        this.pos++;
        return items;
      } else this.fail(c === undefined ? `unexpected end of input, expected ',' or '${close}'` : `unexpected ${JSON.stringify(c)}, expected ',' or '${close}'`);
    }
  }

  private dict(depth: number): PyDict {
    this.pos++;
    const dict: PyDict = new Map();
    for (;;) {
      if (this.peek() === '}') {
        this.pos++;
        return dict;
      }
      const keyAt = this.pos;
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.fail('dict keys must be strings', keyAt);
      if (this.peek() !== ':') this.fail(`expected ':' after the key ${JSON.stringify(key)}`);
      this.pos++;
      dict.set(key, this.value(depth + 1));
      const c = this.peek();
      if (c === ',') this.pos++;
      else if (c === '}') {
        this.pos++;
        return dict;
      } else this.fail(c === undefined ? "unexpected end of input, expected ',' or '}'" : `unexpected ${JSON.stringify(c)}, expected ',' or '}'`);
    }
  }

  private string(): string {
    const t = this.text;
    const quote = t[this.pos];
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < t.length) {
      const c = t[this.pos++];
      if (c === quote) return out;
      if (c === '\n') this.fail('line break inside a string', this.pos - 1);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = t[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '/': '/', b: '\b', f: '\f', '0': '\0' };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = t.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`bad \\${e} escape in a string`, this.pos - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += len;
      } else this.fail(`unknown escape \\${e ?? ''} in a string`, this.pos - 2);
    }
    return this.fail('unterminated string', start);
  }

  private number(): number {
    const t = this.text;
    const start = this.pos;
    const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(t.slice(start, start + 400));
    if (!m) return this.fail('malformed number');
    this.pos += m[0].length;
    const literal = m[0].replace(/_/g, '');
    const value = /^[+-]?0[xX]/.test(literal) ? (literal.startsWith('-') ? -1 : 1) * parseInt(literal.replace(/^[+-]?0[xX]/, ''), 16) : Number(literal);
    if (!Number.isFinite(value)) this.fail(`number ${m[0]} is out of range`, start);
    return value;
  }

  private word(): PyValue {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos, this.pos + 100));
    const word = m ? m[0] : '';
    const start = this.pos;
    this.pos += word.length;
    switch (word) {
      case 'True':
      case 'true':
        return true;
      case 'False':
      case 'false':
        return false;
      case 'None':
      case 'null':
        return null;
      default:
        return this.fail(`'${word}' is not a literal (only numbers, strings, lists, tuples, dicts, True/False/None are read)`, start);
    }
  }
}

/** Parse one Python literal (or JSON value). Throws `ParseError` with line and column. */
export function parsePyLiteral(text: string): PyValue {
  if (typeof text !== 'string') throw new ParseError('input is not text', 1, 1);
  if (text.length > MAX_INPUT) throw new ParseError(`input is ${text.length} characters; at most ${MAX_INPUT} are read`, 1, 1);
  const reader = new Reader(text);
  const value = reader.value(0);
  reader.expectEnd();
  return value;
}

function formatScalar(value: number | string | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return formatPyNumber(value);
  // Python's repr prefers single quotes unless the string contains one and no double quote
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch < ' ') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** A number as Python's repr writes it: integers without a point, floats with one. */
function formatPyNumber(value: number, isFloat = !Number.isInteger(value)): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "float('nan')" : value > 0 ? '1e20' : '-1e20';
  if (!isFloat) return String(value);
  // Python's repr switches to exponent form below 1e-4 and from 1e16, with at least two digits
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) return value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  const s = String(value);
  return s.includes('.') ? s : `${s}.0`;
}

/** One-line repr, as Python's `str()` of the value. */
function formatPyInline(value: PyValue): string {
  if (Array.isArray(value)) return `[${value.map(formatPyInline).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${formatScalar(k)}: ${formatPyInline(v)}`).join(', ')}}`;
  return formatScalar(value);
}

/**
 * `pprint.pformat(value, indent=2, width=120, compact=True)`-style layout: a value that fits on the
 * remaining line stays inline, otherwise its items go one per line. Readable by `ast.literal_eval`
 * and by TinyNAS's loader (which strips each line and joins them).
 */
export function formatPyPretty(value: PyValue, width = 120): string {
  const render = (v: PyValue, indent: number, room: number): string => {
    const inline = formatPyInline(v);
    if (inline.length <= room || !(Array.isArray(v) || v instanceof Map)) return inline;
    const pad = ' '.repeat(indent + 2);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    const parts = Array.isArray(v)
      ? v.map((item) => render(item, indent + 2, width - indent - 3))
      : [...v].map(([k, item]) => {
          const key = `${formatScalar(k)}: `;
          return key + render(item, indent + 2 + key.length, width - indent - 3 - key.length);
        });
    return `${open}${' '.repeat(1)}${parts.join(`,\n${pad}`)}${close}`;
  };
  return render(value, 0, width);
}

/** A plain JS/JSON value (objects, arrays, scalars) as a PyValue, so one reader checks both. */
export function toPyValue(value: unknown, depth = 0): PyValue {
  if (depth > MAX_DEPTH) throw new ParseError(`nesting deeper than ${MAX_DEPTH} levels`, 1, 1);
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => toPyValue(v, depth + 1));
  if (value instanceof Map) return value as PyDict;
  if (typeof value === 'object') return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPyValue(v, depth + 1)]));
  return String(value);
}
