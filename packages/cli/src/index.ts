/** @tributary/cli: the `tributary` command line, also callable from code. */
export { runCli, USAGE } from './cli.ts';
export { PRETTY_USAGE, runPretty } from './pretty-command.ts';
export type { CommandStreams } from './pretty-command.ts';
export { VERIFY_FAILED_EXIT_CODE, VERIFY_USAGE, runVerify } from './verify-command.ts';
export { COLLECT_USAGE, runCollect } from './collect-command.ts';
export { parseCollectArgs, parseSyslogUrl } from './collect-options.ts';
export type { CollectConfig, SyslogTarget } from './collect-options.ts';
export { parseSize } from './size-option.ts';
export { orderRotatedSets } from './rotated-order.ts';
export { UsageError } from './usage-error.ts';
