import type { WorkerChannelOptions } from '@tributary/core/adapter';

/** Options of {@link startWorker}: the channel's options plus Bun's own Worker options. */
export interface StartWorkerOptions extends WorkerChannelOptions {
  /** Bun: whether the worker keeps the process alive. Default: true. */
  readonly ref?: boolean;
  /** Bun: run the worker with a smaller heap. Default: false. */
  readonly smol?: boolean;
  /** Bun: the worker's `process.env`. Default: the parent's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bun: modules loaded before the worker's script. Default: none. */
  readonly preload?: string | readonly string[];
  /** Bun: the worker's `process.argv` additions. Default: none. */
  readonly argv?: readonly unknown[];
  /**
   * Data for the worker (`workerData` from `node:worker_threads` inside): a plain object, to which
   * the adapter adds its setup under the key `__tributary`. Default: none.
   */
  readonly workerData?: Readonly<Record<string, unknown>>;
}

/** The parts of a Web Worker the adapter uses (Bun's `Worker` fits). */
export interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'close', listener: (event: { readonly code?: number }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
}

/** A Bun `Worker`, as {@link startWorker} returns it (cast to Bun's `Worker` for the rest of its API). */
export interface StartedWorker extends WebWorker {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code?: number }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
  /** Lets the worker not keep the process alive. */
  unref(): void;
  /** Makes the worker keep the process alive again. */
  ref(): void;
}
