import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { StreamListenerEndpoint, politeStop, resolveStopTimeout } from '@tributary/core/adapter';
import type { ChannelCloseInfo, ConnectedProducer, ListenerEndpoint, ProducerExit } from '@tributary/core/adapter';
import { childPipes, childWatch } from './child-pipes.ts';
import type { ParentActions } from './child-pipes.ts';

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
  /**
   * How long `stop()` waits, after asking the child to end (SIGTERM), before killing it (SIGKILL),
   * in milliseconds. Default: 5,000.
   */
  readonly stopTimeout?: number;
  /**
   * The producer id the child uses (the `TRIBUTARY_PRODUCER` you gave it), for
   * {@link ConnectedChild.producer}. Default: the id the child announces once it connects (`''` until then).
   */
  readonly producer?: string;
}

/** A child process wired to a listener: the one connected-producer shape, with the `ChildProcess`. */
export interface ConnectedChild extends ConnectedProducer {
  /** The child process (Node's `ChildProcess`). */
  readonly child: ChildProcess;
}

/**
 * Connects a child process you spawned yourself to a listener. Spawn it with `'pipe'` at indexes
 * `fd` and `fd + 1` of `stdio` and the environment variables `TRIBUTARY_CHANNEL_FD` (that index) and
 * `TRIBUTARY_PRODUCER` (a unique id), or call `connectToParent({ fd, producer })` in the child.
 * Throws at once when the child has no such pipe or an option is bad.
 */
export function attachChildProcess(listener: ChannelAcceptor, child: ChildProcess, options: AttachChildOptions = {}): ConnectedChild {
  const fd = options.fd ?? 3;
  const pipe = child.stdio?.[fd] as Duplex | null | undefined;
  const answers = child.stdio?.[fd + 1] as Duplex | null | undefined;
  if (!isStream(pipe) || !isStream(answers)) {
    throw new TypeError(`attachChildProcess: the child has no pipes at stdio[${fd}] and stdio[${fd + 1}]; spawn it with 'pipe' at both`);
  }
  const exitWait = options.exitWait ?? 2_000;
  if (!Number.isSafeInteger(exitWait) || exitWait < 0) throw new RangeError(`attachChildProcess exitWait must be an integer ≥ 0; got ${String(exitWait)}`);
  const stopTimeout = resolveStopTimeout(options.stopTimeout);
  const actions: ParentActions = { asked: false, killed: false };
  const watch = childWatch(child, actions, exitWait);
  const endpoint = new StreamListenerEndpoint(childPipes(pipe, answers), watch);
  channels.set(child, endpoint.ended);
  listener.attach(endpoint);

  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const processExited = hasExited() ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = Promise.all([endpoint.ended, processExited]).then(([info]) => producerExit(info, watch.status()?.exit, endpoint.lastSeq));
  const terminate = (): Promise<ProducerExit> => {
    if (!hasExited()) {
      actions.killed = true;
      child.kill('SIGKILL');
    }
    return exited;
  };
  const ask = (): void => {
    actions.asked = true;
    child.kill('SIGTERM');
  };
  const stop = politeStop(exited, hasExited, ask, terminate, stopTimeout);
  return {
    child,
    get producer() {
      return options.producer ?? endpoint.announced ?? '';
    },
    exited,
    stop,
    terminate,
  };
}

const channels = new WeakMap<ChildProcess, Promise<ChannelCloseInfo>>();

/**
 * Resolves once the listener has read everything the child wrote to its channel and the child's
 * exit status is known, with how the channel ended (its `reason` in words, e.g. `killed by SIGKILL`).
 * Throws when the child was not attached.
 */
export function channelClosed(child: ChildProcess): Promise<ChannelCloseInfo> {
  const ended = channels.get(child);
  if (ended === undefined) throw new TypeError('channelClosed: this child process is not attached to a listener');
  return ended;
}

function producerExit(info: ChannelCloseInfo, exit: ChannelCloseInfo['exit'], lastSeq: number): ProducerExit {
  const how = exit ?? info.exit ?? { reason: 'crashed' as const, message: info.reason ?? 'channel closed' };
  return { ...how, lastSeq };
}

function isStream(value: Duplex | null | undefined): value is Duplex {
  return value !== null && value !== undefined && typeof value.on === 'function' && typeof value.write === 'function';
}
