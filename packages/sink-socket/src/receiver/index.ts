/** @tributary/sink-socket/receiver: an in-process collector (TCP, UDP, Unix) for tests and demos, and an RFC 5424 parser. */
export { createReceiver } from './receiver.ts';
export type { ReceivedRecord, Receiver, ReceiverOptions } from './receiver.ts';
export { parseSyslogMessage } from './syslog-parser.ts';
export type { SyslogMessage } from './syslog-parser.ts';
export { FrameSplitter } from './frame-splitter.ts';
