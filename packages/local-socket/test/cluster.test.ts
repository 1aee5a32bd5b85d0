import { join } from 'node:path';
import { expect, test } from 'vitest';
import { expectTributaryVerified } from '../../../tooling/runtime-tests/tributary-verify.ts';
import { fixture, startProcess, tempDir } from './runtime/helpers.ts';

test('node:cluster: the primary collects, 4 forked workers log under their cluster ids, every record once, in order', async () => {
  const dir = tempDir();
  try {
    const app = startProcess('node', fixture('cluster-app.mjs'), [join(dir.path, 'cluster.sock'), '4', '5000', join(dir.path, 'cluster.log')]);
    await app.exited;
    const result = JSON.parse(app.output().split('result ')[1] ?? 'null');
    expect(result, app.output()).not.toBeNull();
    expect(result.codes).toEqual([0, 0, 0, 0]);
    expect(Object.keys(result.producers).sort()).toEqual(['cluster-worker-1', 'cluster-worker-2', 'cluster-worker-3', 'cluster-worker-4', 'main']);
    for (const stats of Object.values(result.producers)) expect(stats).toEqual({ count: 5000, maxSeq: 5000, missing: 0, duplicated: 0, outOfOrder: 0 });
    expect(result).toMatchObject({ torn: 0, missing: 0, duplicated: 0, outOfOrder: 0, notices: [], complete: true });
    // The real `tributary verify` on the primary's output: exit 0, 5,000 records of each producer.
    const producers = ['cluster-worker-1', 'cluster-worker-2', 'cluster-worker-3', 'cluster-worker-4', 'main'];
    expectTributaryVerified([join(dir.path, 'cluster.log')], { records: Object.fromEntries(producers.map((producer) => [producer, 5000])) });
  } finally {
    dir.remove();
  }
});
