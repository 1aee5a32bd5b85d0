import { describe, test } from 'vitest';
import suite from './runtime/rotating-time.suite.ts';

// A zone with a half-hour offset, so that local and UTC midnights differ (Deno and Bun run the suite
// in the machine's zone).
process.env.TZ = 'Asia/Kolkata';

suite({ describe, test });
