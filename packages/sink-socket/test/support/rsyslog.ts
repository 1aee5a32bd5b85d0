/**
 * A private rsyslog for tests: loopback only, foreground, its own work directory and a free port.
 * Whether rsyslogd is installed is `systemDaemon()`'s question (tooling/runtime-tests/system-daemon.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Resolves once something accepts connections on the port, polling; throws after `timeoutMs`. */
export async function waitForListening(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`rsyslogd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How to configure a private rsyslog. */
export interface RsyslogOptions {
  /** Default: '64k'. */
  readonly maxMessageSize?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Store these fields of the record (parsed from MSG by mmjsonparse) instead of the raw message. */
  readonly jsonFields?: readonly string[];
}

/** One private rsyslogd instance writing every message's raw text, one per line, to `logFile`. */
export class PrivateRsyslog {
  readonly dir: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private readonly conf: string;
  private stderr = '';

  private constructor(
    private readonly binary: string,
    readonly port: number,
    maxMessageSize: string,
    jsonFields: readonly string[] | undefined,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'tributary-rsyslog-'));
    this.logFile = join(this.dir, 'received.log');
    this.conf = join(this.dir, 'rs.conf');
    writeFileSync(
      this.conf,
      [
        `global(workDirectory="${this.dir}" maxMessageSize="${maxMessageSize}")`,
        'module(load="imtcp")',
        `input(type="imtcp" address="127.0.0.1" port="${port}")`,
        ...(jsonFields === undefined
          ? ['template(name="raw" type="string" string="%rawmsg%\\n")']
          : [
              'module(load="mmjsonparse")',
              'action(type="mmjsonparse" cookie="")',
              `template(name="raw" type="string" string="${jsonFields.map((field) => `%$!${field}%`).join(' ')}\\n")`,
            ]),
        `action(type="omfile" file="${this.logFile}" template="raw")`,
        '',
      ].join('\n'),
    );
  }

  /** Makes the configuration for a free port (checked with `rsyslogd -N1`) and starts rsyslogd. */
  static async start(binary: string, options: RsyslogOptions = {}): Promise<PrivateRsyslog> {
    const instance = new PrivateRsyslog(binary, options.port ?? (await freePort()), options.maxMessageSize ?? '64k', options.jsonFields);
    const check = spawnSync(binary, ['-N1', '-f', instance.conf], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`rsyslogd rejected the test configuration: ${check.stderr}${check.stdout}`);
    await instance.restart();
    return instance;
  }

  /** Starts rsyslogd (again) on the same port and file, and waits until it listens. */
  async restart(): Promise<void> {
    const child = spawn(this.binary, ['-n', '-iNONE', '-f', this.conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text;
    });
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`rsyslogd exited early (code ${code}): ${this.stderr}`))));
    await Promise.race([waitForListening(this.port, 60_000), exited]);
  }

  /** Sends a signal and waits for rsyslogd to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** The lines rsyslog wrote so far. */
  lines(): string[] {
    if (!existsSync(this.logFile)) return [];
    const text = readFileSync(this.logFile, 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
