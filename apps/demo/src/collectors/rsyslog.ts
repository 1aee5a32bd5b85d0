import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@tributary/core/testing';

/** A private rsyslogd for the demo's socket sink (`--collector rsyslog`): loopback, foreground, its own folder. */
export interface DemoRsyslog {
  readonly port: number;
  /** Stops it (SIGTERM) once it has written what it received. */
  stop(): Promise<void>;
}

/**
 * Starts rsyslogd on 127.0.0.1 and a free port, writing each message's MSG (the record's JSON line)
 * to `<dir>/received.log`. Throws a clear error when rsyslogd is not installed.
 */
export async function startRsyslog(dir: string): Promise<DemoRsyslog> {
  const which = spawnSync('sh', ['-c', 'command -v rsyslogd || ls /usr/sbin/rsyslogd'], { encoding: 'utf8' });
  const binary = which.stdout.trim().split('\n')[0];
  if (which.status !== 0 || binary === undefined || binary === '') {
    throw new Error('--collector rsyslog needs rsyslogd (Debian: apt-get install -y rsyslog)');
  }
  const port = await freePort();
  const work = join(dir, 'rsyslog');
  mkdirSync(work, { recursive: true });
  const conf = join(work, 'rs.conf');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${work}" maxMessageSize="64k")`,
      'module(load="imtcp")',
      `input(type="imtcp" address="127.0.0.1" port="${port}")`,
      'template(name="msgonly" type="string" string="%msg%\\n")',
      `action(type="omfile" file="${join(dir, 'received.log')}" template="msgonly")`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-n', '-iNONE', '-f', conf], { stdio: 'ignore' });
  await waitFor(() => canConnect(port), `rsyslogd to listen on 127.0.0.1:${port}`, 30_000);
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
