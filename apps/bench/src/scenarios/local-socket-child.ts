/**
 * The producer of the `local-socket` scenario, a separate process started with `spawn` (no IPC):
 * `local-socket-child.js <tool> <records> <producer> <socket path>`. It prints `ready`, waits for a
 * `go` line on stdin, logs its records (yielding every 1,000, as a server would between requests, and
 * waiting while more than 4 MiB are not yet confirmed or not yet taken by the socket), then exits.
 */
import { connect } from 'node:net';
import { closeLocalLogger, localLogger, localLoggerStats } from '@tributary/local-socket';
import { LimitLines, LineBatcher } from './limit-line.ts';

const [tool = 'tributary', recordsText = '0', producer = 'p1', path = ''] = process.argv.slice(2);
const records = Number(recordsText);
const YIELD_EVERY = 1_000;
const BACKLOG_BYTES = 4 * 1024 * 1024;
const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fields = (index: number) => ({ index, user: 'u-42', path: '/api/items', ms: 12.5 });

function go(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => resolve());
    process.stdout.write('ready\n');
  });
}

async function tributary(): Promise<void> {
  const log = localLogger({ path, producer, name: 'bench' });
  await go();
  for (let index = 1; index <= records; index++) {
    log.info('bench record', fields(index));
    if (index % YIELD_EVERY === 0) {
      await pause();
      while ((localLoggerStats()?.unconfirmedBytes ?? 0) > BACKLOG_BYTES) await sleep(1);
    }
  }
  await closeLocalLogger();
}

/** The limit: Tributary's line built by hand, one socket write per 256 lines, waiting for 'drain' past 4 MiB; no confirmations. */
async function limit(): Promise<void> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  await go();
  const lines = new LimitLines({ logger: 'bench', producer, pid: process.pid });
  const batcher = new LineBatcher((text) => void socket.write(text));
  for (let index = 1; index <= records; index++) {
    batcher.add(lines.line('bench record', index, fields(index)));
    if (index % YIELD_EVERY === 0) {
      await pause();
      if (socket.writableLength > BACKLOG_BYTES) await new Promise((resolve) => socket.once('drain', resolve));
    }
  }
  batcher.flush();
  await new Promise<void>((resolve) => socket.end(resolve));
}

if (tool === 'limit') await limit();
else await tributary();
process.exit(0);
