import type { LogRecord } from '@tributary/core/sink';
import { utf8Length } from '@tributary/core/sink';
import type { KeyValue } from './any-value.ts';
import { toOtlpLogRecord } from './log-record.ts';

/** One record, encoded once when the sink accepts it, with what batching needs to know about it. */
export interface EncodedRecord {
  /** The scope (the record's logger name). */
  readonly scope: string;
  /** The encoded log record. */
  readonly payload: string;
  /** Its size in UTF-8 bytes. */
  readonly bytes: number;
}

/** Turns records into the body of an export request. The one place an encoding lives: JSON now, protobuf later. */
export interface LogsEncoder {
  /** The request's `Content-Type`. */
  readonly contentType: string;
  /** Encodes one record. */
  encodeRecord(record: LogRecord): EncodedRecord;
  /** The `ExportLogsServiceRequest` body for records encoded by {@link encodeRecord}, in their order. */
  encodeRequest(records: readonly EncodedRecord[]): string;
  /** UTF-8 bytes of a request with no records. */
  readonly emptyRequestBytes: number;
  /** UTF-8 bytes `record` adds to a request whose last record has scope `previousScope` (undefined: none yet). */
  addedBytes(previousScope: string | undefined, record: EncodedRecord): number;
}

/**
 * The OTLP/HTTP JSON encoder (`application/json`, the protobuf JSON mapping): one resource with
 * `resourceAttributes`, and one `scopeLogs` per run of consecutive records of the same logger, so
 * the records keep their order in the request.
 */
export function jsonEncoder(resourceAttributes: readonly KeyValue[]): LogsEncoder {
  const head = `{"resourceLogs":[{"resource":${JSON.stringify({ attributes: resourceAttributes })},"scopeLogs":[`;
  const tail = ']}]}';
  const scopeHead = (scope: string): string => `{"scope":{"name":${JSON.stringify(scope)}},"logRecords":[`;
  return {
    contentType: 'application/json',
    encodeRecord(record) {
      const payload = JSON.stringify(toOtlpLogRecord(record));
      return { scope: typeof record.logger === 'string' ? record.logger : '', payload, bytes: utf8Length(payload) };
    },
    encodeRequest(records) {
      let body = head;
      let scope: string | undefined;
      for (let index = 0; index < records.length; index++) {
        const record = records[index] as EncodedRecord;
        if (record.scope !== scope) {
          if (scope !== undefined) body += ']},';
          scope = record.scope;
          body += scopeHead(scope);
        } else body += ',';
        body += record.payload;
      }
      if (scope !== undefined) body += ']}';
      return body + tail;
    },
    emptyRequestBytes: utf8Length(head) + tail.length,
    addedBytes(previousScope, record) {
      // a new scope closes the previous one (`]},`) and opens its own; the same scope adds a comma
      return record.bytes + (record.scope === previousScope ? 1 : utf8Length(scopeHead(record.scope)) + 3);
    },
  };
}
