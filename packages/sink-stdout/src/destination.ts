import { closeSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * Where a stdout sink's bytes go: a small driver over one file descriptor (or anything that behaves
 * like one). Tests point the sink at a file or a pipe with it; Node, Deno and Bun all run the default.
 */
export interface StdoutDestination {
  /** Whether the destination is a terminal (colours are only used on one, with `colors: 'auto'`). */
  readonly isTTY: boolean;
  /**
   * Writes as many bytes of `data` from `offset` on as the destination takes now and returns how
   * many it took. Throws the runtime's error for a failure, with `code` set: `EAGAIN` when a
   * non-blocking pipe is full (nothing was written), `EPIPE` when the reader went away.
   */
  writeSome(data: Uint8Array, offset: number): number;
  /** Releases the destination when the sink closes. Default: nothing. */
  close?(): void;
}

/** Options of {@link fdDestination}. */
export interface FdDestinationOptions {
  /** Whether the descriptor is a terminal. Default: asked of the runtime (`tty.isatty(fd)`). */
  readonly isTTY?: boolean;
  /** Close the descriptor when the sink closes. Default: false (the caller owns it). */
  readonly closeFd?: boolean;
}

/** A destination that writes to an open file descriptor with `node:fs` (a file, pipe, socket or terminal). */
export function fdDestination(fd: number, options: FdDestinationOptions = {}): StdoutDestination {
  if (!Number.isSafeInteger(fd) || fd < 0) throw new TypeError(`fdDestination: fd must be a file descriptor (an integer ≥ 0); got ${String(fd)}`);
  const isTTY = options.isTTY ?? askIsTTY(fd);
  const closeFd = options.closeFd === true;
  let open = true;
  return {
    isTTY,
    writeSome: (data, offset) => writeSync(fd, data, offset, data.length - offset),
    close: () => {
      if (!closeFd || !open) return;
      open = false;
      closeSync(fd);
    },
  };
}

interface ProcessWithStdout {
  readonly stdout?: { readonly isTTY?: boolean };
}

/**
 * The process's standard output, file descriptor 1. It asks `process.stdout` whether it is a
 * terminal, which also sets stdout up the way `console.log` would: on Node and Bun that puts a pipe
 * or socket into non-blocking mode, so a slow reader makes writes wait (asynchronously) instead of
 * blocking the thread. Deno keeps its stdout blocking.
 */
export function stdoutDestination(): StdoutDestination {
  const stdout = (globalThis as { process?: ProcessWithStdout }).process?.stdout;
  const isTTY = typeof stdout?.isTTY === 'boolean' ? stdout.isTTY : askIsTTY(1);
  return fdDestination(1, { isTTY });
}

function askIsTTY(fd: number): boolean {
  try {
    return isatty(fd);
  } catch {
    return false;
  }
}
