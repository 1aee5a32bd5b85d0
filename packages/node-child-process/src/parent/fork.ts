import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ForkOptions, IOType, StdioOptions } from 'node:child_process';
import { checkDelivery, defaultProducerId } from '@tributary/core/adapter';
import type { DeliveryMode } from '@tributary/core/adapter';
import { CHANNEL_FD_VARIABLE, DELIVERY_VARIABLE, PRODUCER_VARIABLE } from '../internal/environment.ts';
import { attachChildProcess } from './attach.ts';
import type { ChannelAcceptor, ConnectedChild } from './attach.ts';

/** Options of {@link forkProducer}: `child_process.fork` options plus the producer's. */
export interface ForkProducerOptions extends ForkOptions {
  /** The child's producer id, unique per listener. Default: `child-1`, `child-2`, … per listener, in the order of forking. */
  readonly producer?: string;
  /** The delivery mode the child uses unless it chooses its own. Default: the child's default (`'batched'`). */
  readonly delivery?: DeliveryMode;
  /** See `AttachChildOptions.exitWait`. Default: 2,000. */
  readonly exitWait?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in milliseconds. Default: 5,000. */
  readonly stopTimeout?: number;
}

/**
 * Forks a Node child process (as `child_process.fork` does, IPC channel included) with one more
 * pipe for its records, and attaches that pipe to the listener. In the child, `connectToParent()`
 * returns a logger. The listener keeps running whatever the child does or however it dies. Returns
 * the connected producer (`producer`, `exited`, `stop()`, `terminate()`) with the `ChildProcess` as
 * `child`. Throws at once on bad options.
 */
export function forkProducer(
  listener: ChannelAcceptor,
  modulePath: string | URL,
  args: readonly string[] = [],
  options: ForkProducerOptions = {},
): ConnectedChild {
  const { producer = defaultProducerId(listener, 'child'), delivery, exitWait, stopTimeout, stdio, env, ...forkOptions } = options;
  if (typeof producer !== 'string' || producer === '') throw new TypeError('forkProducer: producer must be a non-empty string');
  const layout = stdioWithChannel(stdio, forkOptions.silent === true);
  const childEnv: NodeJS.ProcessEnv = { ...(env ?? process.env), [CHANNEL_FD_VARIABLE]: String(layout.fd), [PRODUCER_VARIABLE]: producer };
  if (delivery !== undefined) childEnv[DELIVERY_VARIABLE] = checkDelivery(delivery, 'forkProducer delivery');
  const path = modulePath instanceof URL ? fileURLToPath(modulePath) : modulePath;
  const child = fork(path, [...args], { ...forkOptions, stdio: layout.stdio, env: childEnv });
  return attachChildProcess(listener, child, {
    fd: layout.fd,
    producer,
    ...(exitWait === undefined ? {} : { exitWait }),
    ...(stopTimeout === undefined ? {} : { stopTimeout }),
  });
}

/** The fork stdio array with the channel's two pipes added (and `ipc`, which fork requires). */
function stdioWithChannel(stdio: StdioOptions | undefined, silent: boolean): { stdio: (IOType | 'ipc' | number | null | undefined)[]; fd: number } {
  const base: IOType = silent ? 'pipe' : 'inherit';
  let entries: (IOType | 'ipc' | number | null | undefined)[];
  if (stdio === undefined) entries = [base, base, base];
  else if (typeof stdio === 'string') entries = [stdio as IOType, stdio as IOType, stdio as IOType];
  else entries = [...(stdio as (IOType | 'ipc' | number | null | undefined)[])];
  while (entries.length < 3) entries.push(base);
  const fd = entries.length;
  entries.push('pipe', 'pipe');
  if (!entries.includes('ipc')) entries.push('ipc');
  return { stdio: entries, fd };
}
