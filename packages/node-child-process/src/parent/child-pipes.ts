import type { ChildProcess } from 'node:child_process';
import { readSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { ProducerExitReason, StreamListenerIo, StreamProducerWatch } from '@tributary/core/adapter';
import { readStream } from '../internal/read-stream.ts';

/**
 * The parent's end of a child's two pipes as the core's stream channel needs them: records come on
 * `pipe`, answers go out on `answers` (a failed write of an answer to a dead child never disturbs
 * the reading of its last records).
 */
export function childPipes(pipe: Duplex, answers: Duplex): StreamListenerIo {
  answers.on('error', () => {});
  return {
    readRecords(receive, end) {
      readStream(pipe, receive, end);
    },
    writeAnswer(bytes) {
      if (answers.destroyed) return;
      try {
        answers.write(bytes);
      } catch {
        // the child is gone; the listener drops frames to dead producers
      }
    },
    readAvailable(receive) {
      readWaiting(pipe, receive);
    },
    close() {
      pipe.destroy();
      answers.destroy();
    },
  };
}

/**
 * Reads at once, synchronously, what the child already put into the pipe. Works where the pipe's
 * descriptor is known (Node); elsewhere the records arrive through the stream as usual.
 */
function readWaiting(pipe: Duplex, receive: (chunk: Uint8Array) => void): void {
  const fd = (pipe as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return;
  // Bytes the stream already read but has not emitted yet come first (read() emits them as 'data').
  while (pipe.readableLength > 0 && pipe.read() !== null);
  if (pipe.readableLength > 0) return;
  const buffer = new Uint8Array(65_536);
  for (let rounds = 0; rounds < 4_096; rounds++) {
    let read: number;
    try {
      read = readSync(fd, buffer, 0, buffer.length, null);
    } catch {
      return; // EAGAIN: nothing more waits; anything else: the stream will report it
    }
    if (read === 0) return;
    receive(buffer.slice(0, read));
  }
}

/** What the parent did to the child, which decides how its exit is read. */
export interface ParentActions {
  /** `stop()` asked the child to end (SIGTERM). */
  asked: boolean;
  /** The parent killed it (`terminate()`, or `stop()` after `stopTimeout`). */
  killed: boolean;
}

/**
 * The child's exit status as the stream channel's producer watch: a signal the parent did not send
 * is `killed` (the listener then knows that a child in batched delivery lost what it had queued),
 * a non-zero code `crashed`, code 0 `ended`; after `stop()` asked, an end by that signal or code 0
 * is `stopped`; after the parent killed it, `terminated`.
 */
export function childWatch(child: ChildProcess, actions: ParentActions, wait: number): StreamProducerWatch {
  return {
    unknown: 'pipe closed while the process runs',
    wait,
    status() {
      const { exitCode: code, signalCode: signal } = child;
      if (code === null && signal === null) return undefined;
      const description = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
      const reason = exitReason(code, signal, actions);
      return { description, exit: signal !== null ? { reason, signal } : { reason, code: code as number } };
    },
    onStatus(callback) {
      child.once('exit', () => callback());
    },
  };
}

function exitReason(code: number | null, signal: string | null, actions: ParentActions): ProducerExitReason {
  if (actions.killed) return 'terminated';
  if (actions.asked && (code === 0 || signal === 'SIGTERM')) return 'stopped';
  if (signal !== null) return 'killed';
  return code === 0 ? 'ended' : 'crashed';
}
