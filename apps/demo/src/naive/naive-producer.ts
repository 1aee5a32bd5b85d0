/**
 * The way other loggers are used with several processes: each process appends to the same file
 * through its own buffered stream, counts only its own bytes, and rotates on its own (rename
 * `app.log.N` → `N+1`, `app.log` → `app.log.1`, reopen) when it thinks the file is full.
 *
 *   node naive-producer.js <path> <producer> <records> <maxSize>
 */
import { createWriteStream, readdirSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { WriteStream } from 'node:fs';

const [path = 'app.log', producer = 'n1', recordsText = '1000', maxSizeText = '1048576'] = process.argv.slice(2);
const records = Number(recordsText);
const maxSize = Number(maxSizeText);

let stream: WriteStream = createWriteStream(path, { flags: 'a' });
let written = 0;

function rotate(): void {
  stream.end();
  const name = basename(path);
  const numbers = readdirSync(dirname(path))
    .map((file) => (file.startsWith(`${name}.`) ? Number(file.slice(name.length + 1)) : Number.NaN))
    .filter((number) => Number.isInteger(number) && number > 0)
    .sort((a, b) => b - a);
  for (const number of numbers) {
    try {
      renameSync(`${path}.${number}`, `${path}.${number + 1}`);
    } catch {
      // another process moved it first
    }
  }
  try {
    renameSync(path, `${path}.1`);
  } catch {
    // another process moved it first
  }
  stream = createWriteStream(path, { flags: 'a' });
  written = 0;
}

for (let seq = 1; seq <= records; seq++) {
  const line = `${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'work item', logger: 'demo', producer, seq, pid: process.pid, index: seq, user: { id: seq % 97, name: 'demo' }, ok: true })}\n`;
  if (written + line.length > maxSize) rotate();
  written += line.length;
  if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}
await new Promise<void>((resolve) => stream.end(() => resolve()));
