import type { WorkerChannelOptions } from '@tributary/core/adapter';

/** Options of {@link startWorker}: the channel's options (`producer` is also the worker's `self.name`) plus Deno's own. */
export interface StartWorkerOptions extends WorkerChannelOptions {
  /** Deno's own Worker options (`{ permissions }`), passed as they are. Default: none (inherit). */
  readonly deno?: unknown;
}

/** The parts of a Web Worker the adapter uses (Deno's `Worker` fits). */
export interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}
