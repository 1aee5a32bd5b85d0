/** @tributary/sink-rotating-file: a file sink that rotates by size and time, with logrotate-style names and optional gzip. */
export { rotatingFileSink } from './rotating-file-sink.ts';
export type { RotatingFileSink, RotatingFileSinkStats } from './rotating-file-sink.ts';
export type { RotatingFileSinkOptions } from './options.ts';
export { nodeRotationDriver } from './driver.ts';
export type { EntryInfo, RotationDriver } from './driver.ts';
export type { RotationInterval } from './internal/intervals.ts';
