/** Shared pieces of the runtime-neutral suites: a sink plus an embedded receiver, and read-back. */
import { spawn } from 'node:child_process';
import { runtime } from '@tributary/core/sink';
import { recordingSinkContext, waitFor } from '@tributary/core/testing';
import type { RecordingSinkContext, SinkUnderTest } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import type { OtlpSink, OtlpSinkOptions } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { Receiver, ReceiverOptions } from '@tributary/sink-otlp/receiver';

/** An environment with no OTEL_* variables, so that the machine's own do not change a test. */
export const noEnvironment = (): undefined => undefined;

/** Opens the sink with a context that keeps what it reports (as a listener would, before the first write). */
export function openWithContext(sink: OtlpSink): RecordingSinkContext {
  const context = recordingSinkContext();
  sink.open?.(context);
  return context;
}

/** The lines the receiver accepted, once the sink holds nothing and the receiver has every record the sink counts as written. */
export async function receivedLines(sink: OtlpSink, receiver: Receiver): Promise<string[]> {
  await waitFor(
    () => sink.stats.pendingRecords === 0 && receiver.accepted >= sink.stats.written,
    'the sink to send everything and the receiver to take it',
    30_000,
  );
  return receiver.lines();
}

/** A sink sending to a fresh embedded receiver. */
export async function sinkWithReceiver(
  sinkOptions: Partial<OtlpSinkOptions> = {},
  receiverOptions: ReceiverOptions = {},
): Promise<SinkUnderTest & { receiver: Receiver; otlpSink: OtlpSink }> {
  const receiver = await createReceiver(receiverOptions);
  const sink = otlpSink({ endpoint: receiver.url, env: noEnvironment, ...sinkOptions });
  return {
    sink,
    otlpSink: sink,
    receiver,
    readBack: () => receivedLines(sink, receiver),
    cleanup: () => receiver.close(),
  };
}

/** A port where nobody listens (a receiver's, closed again). */
export async function closedPort(): Promise<number> {
  const probe = await createReceiver();
  const port = probe.port;
  await probe.close();
  return port;
}

/** The (producer, seq) keys of the records with message `msg` in `lines`, and how many appeared more than once. */
export function keysOf(lines: Iterable<string>, msg = 'fault run'): { keys: Set<string>; duplicates: number } {
  const keys = new Set<string>();
  let duplicates = 0;
  for (const line of lines) {
    const record = JSON.parse(line) as { msg: string; producer: string; seq: number };
    if (record.msg !== msg) continue;
    const key = `${record.producer}#${record.seq}`;
    if (keys.has(key)) duplicates += 1;
    keys.add(key);
  }
  return { keys, duplicates };
}

/** The sum of the `dropped` of the tributary.dropped records for the sink named `sink` in `lines`. */
export function reportedDrops(lines: Iterable<string>, sink: string): number {
  let total = 0;
  for (const line of lines) {
    const record = JSON.parse(line) as { msg?: string; sink?: string; dropped?: number };
    if (record.msg === 'tributary.dropped' && record.sink === sink) total += record.dropped ?? 0;
  }
  return total;
}

/** The command that runs a script on this runtime (Deno with the given permissions). */
export function scriptCommand(script: string, denoPermissions: readonly string[] = ['-A']): [string, string[]] {
  return [process.execPath, runtime === 'deno' ? ['run', ...denoPermissions, script] : [script]];
}

/** Runs `script` with `args` on this runtime as a child process; its exit code and stdout lines (60 s at most). */
export function runFixture(script: string, args: readonly string[], denoPermissions?: readonly string[]): Promise<{ code: number | null; lines: string[] }> {
  const [command, prefix] = scriptCommand(script, denoPermissions);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the fixture did not exit within 60 s'));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: stdout.split('\n').filter((line) => line !== '') });
    });
  });
}
