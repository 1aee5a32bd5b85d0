/**
 * The few Web APIs the shared-memory ring uses that ECMAScript does not define (Node, Deno and Bun
 * all have them), reached through `globalThis` so the core needs no runtime's type definitions.
 */
import { startTimer } from '../internal/host.ts';

export interface RingTextEncoder {
  encode(text: string): Uint8Array;
  encodeInto(text: string, into: Uint8Array): { read: number; written: number };
}
export interface RingTextDecoder {
  decode(bytes: Uint8Array, options?: { stream?: boolean }): string;
}
interface RingHostGlobals {
  TextEncoder: new () => RingTextEncoder;
  TextDecoder: new (label?: string) => RingTextDecoder;
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate?: (callback: () => void) => unknown;
}

const host = globalThis as unknown as RingHostGlobals;

/** A new UTF-8 encoder. */
export function newTextEncoder(): RingTextEncoder {
  return new host.TextEncoder();
}

/** A new UTF-8 decoder. */
export function newTextDecoder(): RingTextDecoder {
  return new host.TextDecoder('utf-8');
}

/** A timer that DOES keep the process alive (for a flush someone awaits). */
export function startKeepAliveTimer(callback: () => void, milliseconds: number): unknown {
  return host.setTimeout(callback, milliseconds);
}

/** Cancels a timer from {@link startKeepAliveTimer}. */
export function stopKeepAliveTimer(handle: unknown): void {
  if (handle !== undefined) host.clearTimeout(handle);
}

/** Resolves after pending I/O had its turn (setImmediate where there is one, else a zero timer). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof host.setImmediate === 'function') host.setImmediate(resolve);
    else host.setTimeout(resolve, 0);
  });
}

/** Resolves after `milliseconds`, on a timer that does not keep the process alive. */
export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => startTimer(resolve, milliseconds));
}
