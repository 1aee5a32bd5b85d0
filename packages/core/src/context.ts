import type { RecordEncoder } from './encode/record-encoder.ts';
import type { Fields } from './logger.ts';

/**
 * Request context: fields that every record logged inside {@link withContext}'s callback carries,
 * across awaits and timers. Core stays runtime-neutral: the async-context storage is injected once
 * per thread with {@link configureContext} — `AsyncLocalStorage` from `node:async_hooks`, which
 * Node, Deno and Bun all provide, fits as it is.
 */

/** What Tributary needs of an async-context storage (`AsyncLocalStorage` has it). */
export interface ContextStorage {
  /** The value of the innermost `run()` this code runs in, if any. */
  getStore(): unknown;
  /** Runs `callback` with `store` as the value `getStore()` returns inside it, across awaits. */
  run<R>(store: never, callback: () => R): R;
}

/** Options of {@link configureContext}. */
export interface ContextOptions {
  /**
   * The storage for this thread's context, e.g. `new AsyncLocalStorage()`. Give Tributary one of
   * its own (other values found in it are ignored). `undefined` turns context off again.
   * Default (before any call): none, and {@link withContext} throws.
   */
  readonly storage: ContextStorage | undefined;
}

/** The context of one `withContext` call: its fields (outer ones included) and their encodings. */
class ContextFrame {
  /** Each encoder's rendering of the fields, made on first use (limits and redaction are the encoder's). */
  private readonly fragments = new Map<RecordEncoder, string>();

  constructor(readonly fields: Fields) {}

  fragmentFor(encoder: RecordEncoder): string {
    let fragment = this.fragments.get(encoder);
    if (fragment === undefined) {
      fragment = encoder.fieldsFragment(this.fields);
      this.fragments.set(encoder, fragment);
    }
    return fragment;
  }
}

let storage: ContextStorage | undefined;

/**
 * Sets this thread's context storage (each worker sets its own: module state is per thread).
 * Throws a clear error when `storage` lacks `getStore()` or `run()`.
 */
export function configureContext(options: ContextOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError('configureContext: options must be an object ({ storage })');
  const candidate = options.storage as Partial<ContextStorage> | undefined;
  if (candidate !== undefined && (candidate === null || typeof candidate.getStore !== 'function' || typeof candidate.run !== 'function')) {
    throw new TypeError('configureContext: storage must have getStore() and run(), as AsyncLocalStorage from node:async_hooks has; got something else');
  }
  storage = candidate as ContextStorage | undefined;
}

/** True once {@link configureContext} gave this thread a storage. */
export function isContextConfigured(): boolean {
  return storage !== undefined;
}

/**
 * Runs `fn` with `fields` as context: every record logged inside it, by any logger of this thread
 * and across awaits, carries them. Nested calls add to the outer context (the inner value wins).
 * A field given in the log call, or bound to the logger (`child({ fields })`), wins over a context
 * field of the same name. Returns what `fn` returns (its promise, for an async `fn`). Throws when no
 * storage was configured, or when `fields` is not an object.
 */
export function withContext<R>(fields: Fields, fn: () => R): R {
  if (storage === undefined) {
    throw new Error("withContext: no context storage; call configureContext({ storage: new AsyncLocalStorage() }) (from 'node:async_hooks') first");
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new TypeError('withContext: fields must be an object');
  if (typeof fn !== 'function') throw new TypeError('withContext: fn must be a function');
  const outer = currentFrame();
  const frame = new ContextFrame(outer === undefined ? { ...fields } : { ...outer.fields, ...fields });
  return storage.run(frame as never, fn);
}

/** The fields of the context this code runs in (a copy), or undefined outside any. */
export function currentContext(): Fields | undefined {
  const frame = currentFrame();
  return frame === undefined ? undefined : { ...frame.fields };
}

/**
 * The context's fields as `encoder` renders them, to write before a logger's bound fields; `''`
 * outside a context. Never throws (a failing storage gives `''`).
 */
export function contextFragment(encoder: RecordEncoder): string {
  if (storage === undefined) return '';
  try {
    return currentFrame()?.fragmentFor(encoder) ?? '';
  } catch {
    return '';
  }
}

function currentFrame(): ContextFrame | undefined {
  const store = storage?.getStore();
  return store instanceof ContextFrame ? store : undefined;
}
