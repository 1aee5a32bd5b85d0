/**
 * Whether a tool and the loop it is measured against wrote the same line: a scenario keeps one line
 * of each output (`BenchResult.sampleLine`, producer 1's record `seq`), and the CLI compares the two
 * byte for byte with only the values that must differ masked (the time, and the pid, which differs
 * between child processes). A limit loop that wrote shorter lines would flatter nobody but itself.
 */

/** The line of `producer`'s record `seq` in JSON-lines `text`, if there is one. */
export function sampleLine(text: string, producer: string, seq = 1): string | undefined {
  const at = text.indexOf(`"producer":${JSON.stringify(producer)},"seq":${seq},`);
  if (at < 0) return undefined;
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  // A copy, not a slice: an engine's slice of a string can keep the whole output (hundreds of MiB) alive.
  return new TextDecoder().decode(new TextEncoder().encode(text.slice(start, end < 0 ? text.length : end)));
}

/** The line with its time and pid values masked. */
export function lineShape(line: string): string {
  return line.replace(/^\{"time":"[^"]*"/, '{"time":"…"').replace(/,"pid":\d+/, ',"pid":0');
}

export interface LineComparison {
  /** True when the lines are the same bytes once time and pid are masked. */
  readonly same: boolean;
  /** UTF-8 bytes of each line, newline not counted. */
  readonly bytes: number;
  readonly comparedBytes: number;
  /** Both lines, when they differ. */
  readonly lines?: readonly [string, string];
}

/** Compares a tool's line with the line of the loop it is measured against. */
export function compareLines(line: string, compared: string): LineComparison {
  const encoder = new TextEncoder();
  const same = lineShape(line) === lineShape(compared);
  return {
    same,
    bytes: encoder.encode(line).length,
    comparedBytes: encoder.encode(compared).length,
    ...(same ? {} : { lines: [line, compared] as const }),
  };
}
