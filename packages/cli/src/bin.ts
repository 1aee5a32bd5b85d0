#!/usr/bin/env node
import { runCli } from './cli.ts';
import { INTERRUPTED_EXIT_CODE } from './pretty-command.ts';

const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
// Ctrl-C gave up on standard input: a read of it may still be pending (Deno), so end now.
if (code === INTERRUPTED_EXIT_CODE) process.exit(code);
