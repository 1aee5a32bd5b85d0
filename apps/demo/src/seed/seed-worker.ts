/**
 * A pool worker of the seed scenario (a child process): takes tasks from the parent over IPC, logs
 * `steps` records per task over its Tributary pipe, and says when each task started and ended.
 */
import { connectToParent, disconnectFromParent, parentConnectionStats } from '@tributary/node-child-process';

interface TaskMessage {
  readonly task?: number;
  readonly steps?: number;
  readonly end?: boolean;
}

const log = connectToParent({ name: 'pool' });
process.on('message', async (message: TaskMessage) => {
  if (message?.end === true) {
    await disconnectFromParent();
    process.disconnect();
    return;
  }
  const { task, steps } = message ?? {};
  if (typeof task !== 'number' || typeof steps !== 'number') return;
  process.send?.({ started: task, lastSeq: parentConnectionStats()?.lastSeq });
  for (let step = 1; step <= steps; step++) {
    log.info('task step', { task, step, of: steps });
    // Let the event loop run now and then, as a real task would (a kill can land mid-task).
    if (step % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  process.send?.({ done: task, lastSeq: parentConnectionStats()?.lastSeq });
});
