import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoAdapter } from '../types.ts';
import { withLocalCollector } from './local-collector.ts';
import { runProducers } from './run-producers.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const producerScript = fileURLToPath(new URL('../producers/local-producer.js', import.meta.url));

/** The runtimes the producers cycle through: `s1` Node, `s2` Deno, `s3` Bun, `s4` Node, … */
const RUNTIMES = ['node', 'deno', 'bun'] as const;

function producerCommand(runtime: (typeof RUNTIMES)[number]): [string, string[]] {
  if (runtime === 'deno') return [join(repoRoot, 'node_modules', '.bin', 'deno'), ['run', '-A', producerScript]];
  if (runtime === 'bun') return [join(repoRoot, 'node_modules', '.bin', 'bun'), [producerScript]];
  return [process.execPath, [producerScript]];
}

/**
 * Separate programs Tributary did not start: the listener's process runs a `listenLocal()` collector
 * on a Unix socket in a private temporary folder, and spawns plain Node, Deno and Bun processes (no
 * IPC channel) that log with `localLogger()` and print their progress on stdout. A producer is done
 * when it has exited after `closeLocalLogger()`; the collector is closed (confirming what the sinks
 * wrote) before the listener stops.
 *
 * A producer's progress counts only once it has connected, so `--chaos` kills producers the
 * collector knows: one SIGKILLed before its first connection was never seen by any collector, and
 * nothing can report its records (local-socket's documented limit).
 */
export const localSocketAdapter: DemoAdapter = {
  name: 'local-socket',
  runtime: 'node',
  run(listener, spec, progress) {
    let started = 0;
    return withLocalCollector(listener, 'local', (path) => {
      return runProducers(spec, 's', progress, (id, records, onProgress) => {
        const runtime = RUNTIMES[started++ % RUNTIMES.length] ?? 'node';
        const [command, args] = producerCommand(runtime);
        const env = { ...process.env, TRIBUTARY_DEMO_SOCKET: path, TRIBUTARY_DEMO_PRODUCER: id, TRIBUTARY_DEMO_RECORDS: String(records) };
        const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
        let buffered = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            const logged = /^LOGGED (\d+) (\d+)$/.exec(line);
            // Progress counts (and so chaos may kill) only once the producer has connected: see above.
            if (logged !== null && Number(logged[2]) > 0) onProgress(Number(logged[1]));
          }
        });
        const done = new Promise<void>((resolveDone) => {
          child.once('close', () => resolveDone());
          child.once('error', (error) => {
            process.stderr.write(`local-socket producer ${id} (${runtime}) did not start: ${error.message}\n`);
            resolveDone();
          });
        });
        return { done, kill: () => void child.kill('SIGKILL') };
      });
    });
  },
};
