import type { LogEntry } from '../record.ts';

/** Turns one entry into the text a sink writes for it, without the trailing newline. */
export type Formatter = (entry: LogEntry) => string;
