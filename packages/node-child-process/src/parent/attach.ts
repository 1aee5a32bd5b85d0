import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import type { ChannelCloseInfo, ListenerEndpoint } from '@tributary/core/adapter';
import { ChildPipeEndpoint } from './child-endpoint.ts';

/** Anything that takes channels: a `QueueListener`. */
export interface ChannelAcceptor {
  attach(endpoint: ListenerEndpoint): void;
}

/** Options of {@link attachChildProcess}. */
export interface AttachChildOptions {
  /**
   * The index in the child's `stdio` of the pipe the child writes records to (its fd there); the
   * listener's answers go to the next index. Default: 3 (so `stdio[3]` and `stdio[4]`).
   */
  readonly fd?: number;
  /**
   * After the pipe ends, how long to wait for the child's exit status before reporting the channel
   * closed anyway, in milliseconds. Default: 2,000.
   */
  readonly exitWait?: number;
}

/**
 * Connects a child process you spawned yourself to a listener. Spawn it with `'pipe'` at indexes
 * `fd` and `fd + 1` of `stdio` and the environment variables `TRIBUTARY_CHANNEL_FD` (that index) and
 * `TRIBUTARY_PRODUCER` (a unique id), or call `connectToParent({ fd, producer })` in the child.
 * Throws at once when the child has no such pipe.
 */
export function attachChildProcess(listener: ChannelAcceptor, child: ChildProcess, options: AttachChildOptions = {}): void {
  const fd = options.fd ?? 3;
  const pipe = child.stdio?.[fd] as Duplex | null | undefined;
  const answers = child.stdio?.[fd + 1] as Duplex | null | undefined;
  if (!isStream(pipe) || !isStream(answers)) {
    throw new TypeError(`attachChildProcess: the child has no pipes at stdio[${fd}] and stdio[${fd + 1}]; spawn it with 'pipe' at both`);
  }
  const exitWait = options.exitWait ?? 2_000;
  if (!Number.isSafeInteger(exitWait) || exitWait < 0) throw new RangeError(`attachChildProcess exitWait must be an integer ≥ 0; got ${String(exitWait)}`);
  const endpoint = new ChildPipeEndpoint(child, pipe, answers, exitWait);
  channels.set(child, endpoint.ended);
  listener.attach(endpoint);
}

const channels = new WeakMap<ChildProcess, Promise<ChannelCloseInfo>>();

/**
 * Resolves once the listener has read everything the child wrote to its channel and the child's
 * exit status is known, with how the channel ended. Wait for it before `listener.stop()`: stopping
 * closes the channels of children still running, and discards what a dead child's pipe still holds.
 * Throws when the child was not attached.
 */
export function channelClosed(child: ChildProcess): Promise<ChannelCloseInfo> {
  const ended = channels.get(child);
  if (ended === undefined) throw new TypeError('channelClosed: this child process is not attached to a listener');
  return ended;
}

function isStream(value: Duplex | null | undefined): value is Duplex {
  return value !== null && value !== undefined && typeof value.on === 'function' && typeof value.write === 'function';
}
