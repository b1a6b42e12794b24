/** Number formatting for people: G/M units and thousands separators. */
export function formatCount(value: number): string {
  // by hand: the first toLocaleString of a page loads ICU's number formats, a long pause the
  // first time a search reports its rate
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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

/** a predicted or measured latency: "12.34 ms", "123.4 ms"; a network the profile cannot time is "outside the profile" */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return 'outside the profile';
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}
