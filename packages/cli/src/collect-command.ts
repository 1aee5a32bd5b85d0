import { QueueListener } from '@tributary/core';
import { listenLocal } from '@tributary/local-socket';
import type { LocalAddress, LocalCollector } from '@tributary/local-socket';
import { DEFAULT_KEEP_FILES, parseCollectArgs } from './collect-options.ts';
import { makeCollectSinks } from './collect-sinks.ts';
import { collectSummary } from './collect-summary.ts';
import type { CommandStreams } from './pretty-command.ts';
import { UsageError } from './usage-error.ts';

/** How often the timer that keeps the process waiting for a signal fires (it does nothing), in milliseconds. */
const KEEP_ALIVE_INTERVAL_MS = 60 * 60 * 1000;

/** The exit code when a second SIGTERM or SIGINT ended the drain before it finished. */
export const COLLECT_INTERRUPTED_EXIT_CODE = 1;

export const COLLECT_USAGE = `Usage: tributary collect (--socket PATH | --port N) SINK... [options]

Runs a collector: programs that log with localLogger() from @tributary/local-socket
(node:cluster workers, pm2 instances, separate Node, Deno and Bun processes) connect
to it, and it writes their records to the sinks, each record once, in each
producer's order. SIGTERM and SIGINT (Ctrl-C) stop taking records, write what
arrived, confirm it to the producers, print a summary on stderr and exit 0; a
second one stops at once. SIGHUP reopens the --file files (after logrotate moved them).

Where producers connect (one of):
  --socket PATH          a Unix socket, created mode 0600 (a stale one is replaced)
  --port N               TCP on 127.0.0.1 (0: any free port, printed on stderr)

Sinks (at least one; several allowed, each option may be repeated):
  --file FILE            append JSON lines to FILE; SIGHUP reopens it
  --rotate FILE          JSON lines to FILE, rotated to FILE.1, FILE.2, ... by size:
    --max-size SIZE      rotate before FILE would grow past SIZE (10MiB, 512KiB,
                         100MB, or bytes; default 10MiB)
    --keep N             rotated files kept (default ${DEFAULT_KEEP_FILES})
    --compress           gzip the rotated files (FILE.1.gz ...)
  --stdout               JSON lines on standard output
  --syslog URL           RFC 5424 syslog to tcp://HOST:PORT, udp://HOST:PORT,
                         tls://HOST:PORT (port 514 by default) or unix:///PATH

Options:
  --max-connections N    producers connected at once (default 64)
  -h, --help             this help

Example: npx tributary collect --socket /run/app/log.sock --rotate /var/log/app/app.log --compress`;

/** Runs `tributary collect` until SIGTERM or SIGINT; resolves with the exit code. Throws {@link UsageError}. */
export async function runCollect(args: readonly string[], streams: CommandStreams): Promise<number> {
  const config = parseCollectArgs(args);
  if (config === 'help') {
    streams.stdout.write(`${COLLECT_USAGE}\n`);
    return 0;
  }
  const note = (message: string): void => void streams.stderr.write(`tributary collect: ${message}\n`);
  const { sinks, reopenable, described } = makeCollectSinks(config);
  // This command handles the signals itself: drain and exit 0, reopen on SIGHUP.
  const listener = new QueueListener({ sinks, drainOnSignals: false });
  let collector: LocalCollector;
  try {
    collector = await listenLocal(listener, { ...config.address, ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }) });
  } catch (error) {
    await listener.stop();
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const onHangup = (): void => {
    for (const sink of reopenable) void sink.reopen();
    note(reopenable.length === 0 ? 'SIGHUP: no --file to reopen' : `SIGHUP: reopened ${reopenable.map((sink) => sink.path).join(', ')}`);
  };
  let stopRequested: (why: string) => void = () => {};
  const stopping = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  let signalled = false;
  const onStopSignal = (signal: string): void => {
    if (signalled) {
      note(`${signal} again: stopping without waiting for the drain`);
      process.exit(COLLECT_INTERRUPTED_EXIT_CODE); // the listener's exit hook still writes what is queued
    }
    signalled = true;
    stopRequested(signal);
  };
  const onTerm = (): void => onStopSignal('SIGTERM');
  const onInt = (): void => onStopSignal('SIGINT');
  process.on('SIGHUP', onHangup);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  // Signal handlers do not keep Node's event loop alive, and Tributary's timers are unref'd (the drain waits on
  // some of them): this keeps the process until the drain is done.
  const keepAlive = setInterval(() => {}, KEEP_ALIVE_INTERVAL_MS);
  try {
    note(`listening on ${describeAddress(collector.address)}; writing to ${described.join(', ')}`);
    const why = await stopping;
    note(`${why}: draining`);
    await collector.close();
    const summary = await listener.stop();
    streams.stderr.write(collectSummary(summary, why));
    return 0;
  } finally {
    clearInterval(keepAlive);
    process.off('SIGHUP', onHangup);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
}

function describeAddress(address: LocalAddress): string {
  return 'path' in address ? address.path : `${address.host}:${address.port}`;
}
