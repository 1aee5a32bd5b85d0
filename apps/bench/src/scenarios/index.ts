import type { Scenario } from '../scenario.ts';
import { callCost } from './call-cost.ts';
import { fileSinkThroughput } from './file-sink.ts';
import { fileThreadsRotating } from './file-threads-rotating.ts';
import { localSocket } from './local-socket.ts';
import { mainThreadBurst } from './main-thread-burst.ts';
import { otlpScenario } from './otlp.ts';
import { processesToFile } from './processes-to-file.ts';
import { threadsDenoBun } from './threads-deno-bun.ts';
import { threadsToFile } from './threads-to-file.ts';

/** Every scenario `npm run bench` knows, by name. Each lives in its own file in this folder. */
export const scenarios: readonly Scenario[] = [
  callCost,
  fileSinkThroughput,
  fileThreadsRotating,
  processesToFile,
  localSocket,
  threadsToFile,
  threadsDenoBun,
  otlpScenario,
  mainThreadBurst,
];
