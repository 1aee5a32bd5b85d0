/** @tributary/sink-stdout: a sink writing JSON lines or human-readable text to standard output. */
export { stdoutSink } from './stdout-sink.ts';
export type { StdoutSink, StdoutSinkStats } from './stdout-sink.ts';
export type { StdoutSinkOptions } from './options.ts';
export { fdDestination, stdoutDestination } from './destination.ts';
export type { FdDestinationOptions, StdoutDestination } from './destination.ts';
