import { afterAll, describe, test } from 'vitest';
import suite from './runtime/rotating-time.suite.ts';

// A zone with a half-hour offset, so that local and UTC midnights differ (Deno and Bun run the suite
// in the machine's zone). Restored afterwards: vitest may reuse this process for other files.
const previousZone = process.env.TZ;
process.env.TZ = 'Asia/Kolkata';
afterAll(() => {
  if (previousZone === undefined) delete process.env.TZ;
  else process.env.TZ = previousZone;
});

suite({ describe, test });
