import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { runtime } from '@tributary/core/adapter';
import type { StreamProducerIo } from '@tributary/core/adapter';
import { readStream } from '../internal/read-stream.ts';

/**
 * The child's end of its two pipes as the core's stream channel needs them: records go out with
 * synchronous writes on `fd` (a full pipe takes 0 bytes), the listener's answers come in through a
 * socket on `fd + 1`. The socket never keeps the child alive, except while `keepAlive` is on.
 */
export function parentPipes(fd: number): StreamProducerIo {
  // Opening a socket on the records pipe makes it non-blocking, which the writer relies on; the
  // socket itself never reads or writes. Deno's sockets take the descriptor over (writes to it then
  // fail with EBADF), so under Deno the pipe stays blocking: a full pipe makes a write wait.
  const recordsSocket = runtime === 'deno' ? undefined : new Socket({ fd, readable: false, writable: false });
  recordsSocket?.unref();
  recordsSocket?.on('error', () => {});
  const answers = new Socket({ fd: fd + 1, readable: true, writable: false, allowHalfOpen: true });
  answers.unref();
  return {
    writeSync(bytes, offset, length) {
      try {
        return writeSync(fd, bytes, offset, length);
      } catch (error) {
        if (isFull(error)) return 0;
        throw error;
      }
    },
    readAnswers(receive, end) {
      readStream(answers, receive, end);
    },
    keepAlive(on) {
      if (on) answers.ref();
      else answers.unref();
    },
    close() {
      answers.destroy();
      recordsSocket?.destroy();
    },
  };
}

function isFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}
