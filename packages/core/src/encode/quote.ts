const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;

function escapeSeparator(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Quotes a string as JSON, cutting it at `maxLength` with a visible marker. Never throws. */
export function quoteString(value: string, maxLength: number): string {
  if (value.length > maxLength) {
    let cut = maxLength;
    // Do not split a surrogate pair.
    const code = value.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    value = `${value.slice(0, cut)}…[truncated ${value.length - cut} chars]`;
  }
  if (isPlainAscii(value)) return `"${value}"`;
  const quoted = JSON.stringify(value);
  // JSON allows these raw, but JavaScript, Python's splitlines() and many editors treat them as line breaks.
  LINE_SEPARATORS.lastIndex = 0;
  return LINE_SEPARATORS.test(quoted) ? quoted.replace(LINE_SEPARATORS, escapeSeparator) : quoted;
}

/** Strings shorter than this are checked character by character for the quoting fast path. */
const FAST_QUOTE_MAX = 256;

/**
 * True when a string needs no JSON escaping: printable ASCII without `"` and `\\`. Most keys and
 * short values are; quoting them directly is several times cheaper than JSON.stringify.
 */
function isPlainAscii(value: string): boolean {
  if (value.length > FAST_QUOTE_MAX) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}
