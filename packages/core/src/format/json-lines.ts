import type { Formatter } from './formatter.ts';

/** The canonical JSON line, as the producer encoded it: no parsing, no re-encoding. */
export const jsonLinesFormatter: Formatter = (entry) => entry.line;
