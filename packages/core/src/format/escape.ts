/**
 * Characters that could forge a line or drive a terminal when user text is printed as it is: C0
 * controls (CR, LF, ESC…), DEL, C1 controls (0x80–0x9F, which include the 8-bit CSI), and the Unicode
 * line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes control characters so that `text` prints as one inert line (`\n`, `\r`, `\t`, `\xNN`, `\uNNNN`). */
export function escapeControl(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
