/** @tributary/sink-otlp/receiver: an embedded OTLP/HTTP (JSON) collector for tests and demos, answering as told. */
export { createReceiver } from './receiver.ts';
export type { AnsweredRequest, ExportRequestInfo, Receiver, ReceiverAnswer, ReceiverOptions } from './receiver.ts';
export { decodeLogsRequest, fromAnyValue, fromKeyValues, toTributaryLine } from './decode.ts';
export type { JsonAnyValue, JsonKeyValue, JsonLogRecord, ReceivedLogRecord } from './decode.ts';
