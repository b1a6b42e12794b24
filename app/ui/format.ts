/** Number formatting for people: G/M units and thousands separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatGiga(value: number, digits = 2): string {
  return `${(value / 1e9).toFixed(digits)} G`;
}

export function formatMega(value: number, digits = 2): string {
  return `${(value / 1e6).toFixed(digits)} M`;
}

/** an engine reason ("found 0, expected …") as a sentence for the page */
export function asSentence(reason: string): string {
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}
