import { memorySink, runSinkConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/** The reference sink passes the sink conformance suite (proves the suite itself runs everywhere). */
export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'memory sink',
    create: () => {
      const sink = memorySink();
      return { sink, readBack: async () => sink.lines() };
    },
  });
}
