/** @tributary/cli: the `tributary` command line, also callable from code. */
export { runCli, USAGE } from './cli.ts';
export { PRETTY_USAGE, runPretty } from './pretty-command.ts';
export type { CommandStreams } from './pretty-command.ts';
export { UsageError } from './usage-error.ts';
