import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueListener } from '@tributary/core';
import { listenLocal } from '@tributary/local-socket';

/**
 * Runs `body` with a `listenLocal()` collector for `listener` on a Unix socket in a private
 * temporary folder (`tributary-demo-<name>-…`, handed to `body` too). Afterwards, whatever happened,
 * the collector is closed (confirming what the sinks wrote, before the listener stops) and the
 * folder removed.
 */
export async function withLocalCollector<T>(listener: QueueListener, name: string, body: (path: string, folder: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), `tributary-demo-${name}-`));
  const path = join(folder, 'collector.sock');
  try {
    const collector = await listenLocal(listener, { path });
    try {
      return await body(path, folder);
    } finally {
      await collector.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
