/**
 * Colours decided by the terminal check itself: the bin runs with its standard output on a real
 * pseudo-terminal (util-linux `script`), on Node, Deno and Bun.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { systemDaemon } from '../../../tooling/runtime-tests/system-daemon.ts';
import { CLI_RUNNERS, plainEnv, recordLine } from './spawn-cli.ts';

const script = systemDaemon({ binary: 'script', install: 'apt-get install -y bsdutils' });
const scratch = mkdtempSync(join(tmpdir(), 'tributary-cli-tty-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const log = join(scratch, 'app.log');
writeFileSync(log, `${recordLine({ level: 'warn', msg: 'on a terminal' })}\n`);
const SGR = /\u001b\[[0-9;]*m/;

/** What the command prints with its standard output on a pseudo-terminal. */
function onTerminal(command: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const quoted = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn(script.path as string, ['-qec', quoted, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end();
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    out += text;
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`script exited with ${code}: ${JSON.stringify(out)}`)))),
  );
}

describe.skipIf(script.skip).each(CLI_RUNNERS)('$name: tributary pretty on a terminal', (cli) => {
  const command = cli.command(['pretty', log]);
  test('colours on by default, off with NO_COLOR or TERM=dumb', async () => {
    const coloured = await onTerminal(command, plainEnv({ TERM: 'xterm-256color' }));
    expect(coloured).toMatch(SGR);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toContain('WARN  [main] app: on a terminal');
    expect(await onTerminal(command, plainEnv({ TERM: 'xterm-256color', NO_COLOR: '1' }))).not.toMatch(SGR);
    expect(await onTerminal(command, plainEnv({ TERM: 'dumb' }))).not.toMatch(SGR);
  });
});
