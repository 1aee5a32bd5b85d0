import { COLLECT_USAGE, runCollect } from './collect-command.ts';
import { PRETTY_USAGE, runPretty } from './pretty-command.ts';
import type { CommandStreams } from './pretty-command.ts';
import { USAGE_EXIT_CODE, UsageError } from './usage-error.ts';
import { VERIFY_USAGE, runVerify } from './verify-command.ts';

export const USAGE = `Usage: tributary <command> [options]

Commands:
  pretty [FILE...]   print Tributary's JSON lines for people (tributary pretty --help)
  verify FILE...     check that every record was written once, in order, or its loss
                     reported (tributary verify --help)
  collect            a collector for programs that log with @tributary/local-socket,
                     writing to files, stdout or syslog (tributary collect --help)

Example: node app.js | npx tributary pretty`;

/** Each command: how it runs and its usage text. */
const COMMANDS: Readonly<Record<string, { run: (args: readonly string[], streams: CommandStreams) => Promise<number>; usage: string }>> = {
  pretty: { run: runPretty, usage: PRETTY_USAGE },
  verify: { run: runVerify, usage: VERIFY_USAGE },
  collect: { run: runCollect, usage: COLLECT_USAGE },
};

/**
 * Runs the `tributary` command line with its arguments (without the program name); resolves with
 * the exit code: 0, 1 when `verify` found a problem, 2 for a bad command line or an input that cannot be read (one line on stderr).
 */
export async function runCli(args: readonly string[], streams: CommandStreams): Promise<number> {
  const [command, ...rest] = args;
  const known = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (command === undefined) {
      streams.stderr.write(`${USAGE}\n`);
      return USAGE_EXIT_CODE;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      const topic = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
      streams.stdout.write(`${command === 'help' && topic !== undefined ? topic.usage : USAGE}\n`);
      return 0;
    }
    if (known !== undefined) return await known.run(rest, streams);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = known !== undefined ? `tributary ${command} --help` : 'tributary --help';
    streams.stderr.write(`tributary: ${error.message}\nRun '${help}' for usage.\n`);
    return USAGE_EXIT_CODE;
  }
}
