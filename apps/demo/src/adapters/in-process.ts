import type { DemoAdapter, ProducerReport } from '../types.ts';
import { logWorkload } from '../workload.ts';

const CHUNK = 1_000;

/** Loggers on the listener's own thread, taking turns in chunks like concurrent request handlers. */
export const inProcessAdapter: DemoAdapter = {
  name: 'in-process',
  runtime: 'node',
  async run(listener, spec, progress) {
    const loggers = Array.from({ length: spec.producers }, (_, index) => listener.logger({ producer: `p${index + 1}`, name: 'demo' }));
    let logged = 0;
    for (let first = 1; first <= spec.records; first += CHUNK) {
      const last = Math.min(spec.records, first + CHUNK - 1);
      for (const logger of loggers) logWorkload(logger, first, last);
      logged += (last - first + 1) * loggers.length;
      progress(logged);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return loggers.map((_, index): ProducerReport => ({ id: `p${index + 1}`, logged: spec.records, killed: false }));
  },
};
