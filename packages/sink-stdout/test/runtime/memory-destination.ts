import type { StdoutDestination } from '@tributary/sink-stdout';

/** An in-memory destination whose room, failures and terminal-ness the test controls. */
export interface MemoryDestination extends StdoutDestination {
  /** Bytes it takes before it is full (then throws EAGAIN). Default: unlimited. */
  room: number;
  /** Thrown by writeSome once `after` more bytes were taken (then cleared if `once`). */
  failure: { error: unknown; after: number; once: boolean } | undefined;
  /** Everything taken so far, as text. */
  text(): string;
  /** Lines taken so far. */
  lines(): string[];
  closed: boolean;
}

export function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

export function memoryDestination(isTTY = false): MemoryDestination {
  const parts: Uint8Array[] = [];
  const decoder = new TextDecoder();
  const destination: MemoryDestination = {
    isTTY,
    room: Number.POSITIVE_INFINITY,
    failure: undefined,
    closed: false,
    writeSome(data, offset) {
      const failure = destination.failure;
      if (failure !== undefined && failure.after <= 0) {
        if (failure.once) destination.failure = undefined;
        throw failure.error;
      }
      if (destination.room <= 0) throw errnoError('EAGAIN');
      const taken = Math.min(data.length - offset, destination.room, failure?.after ?? Number.POSITIVE_INFINITY);
      parts.push(data.slice(offset, offset + taken));
      destination.room -= taken;
      if (failure !== undefined) failure.after -= taken;
      return taken;
    },
    close() {
      destination.closed = true;
    },
    text: () => parts.map((part) => decoder.decode(part, { stream: true })).join('') + decoder.decode(),
    lines: () => {
      const lines = destination.text().split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return lines;
    },
  };
  return destination;
}
