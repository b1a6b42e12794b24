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
