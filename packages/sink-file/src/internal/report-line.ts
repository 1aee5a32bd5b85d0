/** Writes one diagnostic line to the console's error stream and never throws. */
export function reportLine(message: string): void {
  try {
    (globalThis as { console?: { error(...values: unknown[]): void } }).console?.error(message);
  } catch {
    // nothing left to report to
  }
}
