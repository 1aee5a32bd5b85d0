import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkSeed } from './check-seed.ts';
import type { SeedVerdict } from './check-seed.ts';
import { SEED_DEFAULTS, runPool } from './run-pool.ts';

/** Runs the seed scenario into `<out>/seed/app.log` and checks the file. */
export async function runSeedScenario(out: string): Promise<SeedVerdict> {
  const dir = join(out, 'seed');
  rmSync(dir, { recursive: true, force: true });
  const run = await runPool({ ...SEED_DEFAULTS, dir });
  return checkSeed(run);
}
