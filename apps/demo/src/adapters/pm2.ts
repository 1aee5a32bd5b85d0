import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@tributary/core/testing';
import type { DemoAdapter, ProducerReport } from '../types.ts';
import { withLocalCollector } from './local-collector.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const pm2 = join(repoRoot, 'node_modules', '.bin', 'pm2');
const app = fileURLToPath(new URL('../producers/pm2-producer.js', import.meta.url));
/** How long pm2's instances may take to log everything and stop, in ms. */
const INSTANCES_TIMEOUT_MS = 180_000;
/** How long one `pm2` command may take, in ms. */
const COMMAND_TIMEOUT_MS = 60_000;

/** Runs one `pm2` command against the demo's private daemon; throws with its output when it fails. */
function runPm2(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const run = spawnSync(pm2, args, { env, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  if (run.status !== 0) throw new Error(`pm2 ${args.join(' ')} failed (${run.error?.message ?? `status ${run.status}`}): ${run.stderr || run.stdout}`);
  return run.stdout;
}

/** True once every instance printed `done` (after `closeLocalLogger()`) into its out log, which pm2 keeps under `PM2_HOME/logs`. */
function allDone(pm2Home: string, instances: number): boolean {
  for (let index = 0; index < instances; index++) {
    const log = join(pm2Home, 'logs', `tributary-demo-out-${index}.log`);
    if (!existsSync(log) || !readFileSync(log, 'utf8').includes('done')) return false;
  }
  return true;
}

/**
 * pm2's cluster mode, as an operator runs it: a private pm2 daemon (`PM2_HOME` in a temporary
 * folder) starts `pm2-producer.js -i <producers>` with autorestart off; each instance logs with
 * `localLogger()` under its default producer id, `pm2-<pm_id>`, to the `listenLocal()` collector
 * this process runs beside the listener, then prints `done` and exits. The demo waits for every instance's `done` in pm2's logs; the daemon is killed at the end, whatever
 * happened. With `--chaos` it runs as usual (pm2 would restart what the demo killed).
 */
export const pm2Adapter: DemoAdapter = {
  name: 'pm2',
  runtime: 'node',
  run(listener, spec, progress) {
    return withLocalCollector(listener, 'pm2', async (path, folder) => {
      const pm2Home = join(folder, 'pm2-home');
      const env = { ...process.env, PM2_HOME: pm2Home, TRIBUTARY_DEMO_SOCKET: path, TRIBUTARY_DEMO_RECORDS: String(spec.records) };
      try {
        runPm2(['start', app, '-i', String(spec.producers), '--no-autorestart', '--name', 'tributary-demo'], env);
        await waitFor(() => allDone(pm2Home, spec.producers), `pm2's ${spec.producers} instances to log everything`, INSTANCES_TIMEOUT_MS);
        progress(spec.producers * spec.records);
        return Array.from({ length: spec.producers }, (_, index): ProducerReport => ({ id: `pm2-${index}`, logged: spec.records, killed: false }));
      } finally {
        spawnSync(pm2, ['kill'], { env, timeout: COMMAND_TIMEOUT_MS });
      }
    });
  },
};
