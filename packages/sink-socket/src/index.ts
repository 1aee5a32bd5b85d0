/** @tributary/sink-socket: RFC 5424 syslog and NDJSON over TCP, TLS, UDP and Unix sockets. */
export { socketSink } from './socket-sink.ts';
export type { SocketSink, SocketSinkStats } from './socket-sink.ts';
export type { ReconnectOptions, SocketEncoding, SocketSinkOptions, SocketTransport, SyslogFraming, SyslogOptions } from './options.ts';
export { FACILITY, LEVEL_TO_SEVERITY, SEVERITY, priority } from './syslog.ts';
export type { FacilityName } from './syslog.ts';
export { TRUNCATION_MARK } from './internal/truncate.ts';
