/** Unit tests of the pieces: backoff schedule, defaults, frame splitting and RFC 5424 parsing. */
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { FrameSplitter, parseSyslogMessage } from '@tributary/sink-socket/receiver';
import { describe, test } from 'vitest';
import { Backoff } from '../src/internal/backoff.ts';
import { resolveSocketSinkOptions } from '../src/options.ts';

describe('defaults', () => {
  test('reconnect 1 s doubling up to 30 s; 8 KiB records, 2 KiB datagrams; RFC 5424 octet-counted over TCP', () => {
    const options = resolveSocketSinkOptions({ port: 514 });
    assert.equal(options.initialDelay, 1_000);
    assert.equal(options.maxDelay, 30_000);
    assert.equal(options.factor, 2);
    assert.equal(options.maxRecordBytes, 8_192);
    assert.equal(options.maxDatagramBytes, 2_048);
    assert.equal(options.encoding, 'rfc5424');
    assert.equal(options.framing, 'octet-counting');
    assert.equal(options.transport, 'tcp');
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.facility, 1);
    assert.equal(options.name, 'rfc5424+tcp://127.0.0.1:514');
    const backoff = new Backoff(options.initialDelay, options.maxDelay, options.factor);
    assert.deepEqual(
      Array.from({ length: 8 }, () => backoff.next()),
      [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
    );
    backoff.reset();
    assert.equal(backoff.next(), 1_000);
  });
});

describe('FrameSplitter', () => {
  test('octet-counted, newline and NDJSON frames split at any chunk boundary, multi-byte text included', () => {
    const messages = ['<14>1 - - - - - - héllo 日本 🎉', '{"a":"ü"}', '<14>1 - h a 1 m [x@1 k="v\\]"] body with\nnewline'];
    const octet = (text: string): string => `${Buffer.byteLength(text)} ${text}`;
    const stream = Buffer.from(`${octet(messages[0] as string)}${messages[1]}\r\n${octet(messages[2] as string)}`);
    for (let size = 1; size <= 7; size++) {
      const got: string[] = [];
      let bytes = 0;
      const splitter = new FrameSplitter((message, frameBytes) => {
        got.push(message);
        bytes += frameBytes;
      });
      for (let offset = 0; offset < stream.length; offset += size) splitter.push(stream.subarray(offset, offset + size));
      assert.deepEqual(got, messages, `chunks of ${size} bytes`);
      assert.equal(bytes, stream.length);
    }
  });
});

describe('parseSyslogMessage', () => {
  test('reads the header, structured data and MSG; refuses what is not RFC 5424', () => {
    const message = parseSyslogMessage(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventID="1011"][x@1 a="\\]\\""] \ufeffAn application event',
    );
    assert.ok(message !== undefined);
    assert.equal(message.facility, 20);
    assert.equal(message.severity, 5);
    assert.equal(message.hostname, 'mymachine.example.com');
    assert.equal(message.appName, 'evntslog');
    assert.equal(message.procId, '-');
    assert.equal(message.msgId, 'ID47');
    assert.equal(message.structuredData, '[exampleSDID@32473 iut="3" eventID="1011"][x@1 a="\\]\\""]');
    assert.equal(message.msg, 'An application event');
    assert.equal(parseSyslogMessage('<34>Oct 11 22:14:15 mymachine su: failed'), undefined);
    assert.equal(parseSyslogMessage('{"msg":"json"}'), undefined);
    assert.equal(parseSyslogMessage('<14>1 - - - - - -')?.msg, '');
  });
});
