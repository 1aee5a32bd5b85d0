/**
 * What a peer module gives the `threads-to-file` worker: a logger with one call shape, and how to
 * end it. Each peer lives in its own file here and is set up the way that library's users would log
 * from a worker thread to one shared file; `finish` is the library's documented way to flush and
 * close, and whatever the library still drops at exit is counted as lost by the scenario.
 */

/** The worker's job, from `workerData`. */
export interface Job {
  readonly tool: string;
  readonly records: number;
  readonly file: string;
  readonly producer: string;
}

/** One call shape for every tool: fields first, then the message (pino's order). */
export interface Logged {
  info(fields: object, msg: string): void;
}

export interface PeerLogger {
  readonly log: Logged;
  /** Flushes and closes the library's transport the documented way; resolves when it says it is done. */
  finish(): Promise<void>;
}
