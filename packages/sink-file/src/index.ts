/** @tributary/sink-file: a sink that appends to a file, with reopen() and SIGHUP for external rotation. */
export { fileSink } from './file-sink.ts';
export type { FileSink } from './file-sink.ts';
export { FileWriter } from './file-writer.ts';
export type { FileWriterStats } from './file-writer.ts';
export { nodeFileDriver } from './driver.ts';
export { LogPathError, prepareLogPath } from './internal/prepare-folders.ts';
export type { FileDriver } from './driver.ts';
export { resolveWriterOptions } from './options.ts';
export type { FileSinkOptions, FileWriterOptions, ResolvedWriterOptions } from './options.ts';
