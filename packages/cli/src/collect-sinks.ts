import type { Sink } from '@tributary/core';
import { fileSink } from '@tributary/sink-file';
import type { FileSink } from '@tributary/sink-file';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import { socketSink } from '@tributary/sink-socket';
import { stdoutSink } from '@tributary/sink-stdout';
import type { CollectConfig, SyslogTarget } from './collect-options.ts';
import { UsageError } from './usage-error.ts';

/** The collector's sinks, and the files SIGHUP reopens. */
export interface CollectSinks {
  readonly sinks: readonly Sink[];
  /** The `--file` sinks (a `--rotate` sink rotates its files itself). */
  readonly reopenable: readonly FileSink[];
  /** What each sink is, for the start line: `file /var/log/app.log`, `syslog tcp://127.0.0.1:514`. */
  readonly described: readonly string[];
}

/**
 * Makes the sinks `config` asks for. A bad path (a folder, under a regular file, a folder that
 * cannot be created) or a bad value is a {@link UsageError}, before anything listens.
 */
export function makeCollectSinks(config: CollectConfig): CollectSinks {
  const sinks: Sink[] = [];
  const reopenable: FileSink[] = [];
  const described: string[] = [];
  configuring(() => {
    for (const path of config.files) {
      const sink = fileSink({ path });
      sinks.push(sink);
      reopenable.push(sink);
      described.push(`file ${path}`);
    }
    const { maxSizeBytes, keep, compress } = config.rotate;
    for (const path of config.rotate.paths) {
      sinks.push(rotatingFileSink({ path, maxSize: maxSizeBytes, maxFiles: keep, compress }));
      described.push(`rotating file ${path} (max ${maxSizeBytes} bytes, keep ${keep}${compress ? ', gzip' : ''})`);
    }
    if (config.stdout) {
      sinks.push(stdoutSink());
      described.push('stdout');
    }
    for (const target of config.syslog) {
      sinks.push(
        socketSink(
          target.transport === 'unix' ? { transport: 'unix', path: target.path } : { transport: target.transport, host: target.host, port: target.port },
        ),
      );
      described.push(`syslog ${describeSyslog(target)}`);
    }
  });
  return { sinks, reopenable, described };
}

function describeSyslog(target: SyslogTarget): string {
  return target.transport === 'unix'
    ? `unix://${target.path}`
    : `${target.transport}://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** Runs `make`; an error a sink throws for its options becomes a {@link UsageError} with its message. */
function configuring(make: () => void): void {
  try {
    make();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
