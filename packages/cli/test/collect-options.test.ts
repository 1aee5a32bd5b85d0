import { describe, expect, test } from 'vitest';
import { parseCollectArgs, parseSyslogUrl } from '../src/collect-options.ts';
import { makeCollectSinks } from '../src/collect-sinks.ts';
import { parseSize } from '../src/size-option.ts';

describe('parseSize', () => {
  test.each([
    ['10MiB', 10 * 1024 * 1024],
    ['512KiB', 512 * 1024],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['100MB', 100_000_000],
    ['2kb', 2_000],
    ['1048576', 1_048_576],
    ['64 KiB', 64 * 1024],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize('collect', '--max-size', text, 1024)).toBe(bytes);
  });

  test.each(['10M', 'ten MiB', '-1MiB', '', '10MiB5', '0x400', '1e9'])('%j is refused with a clear message', (text) => {
    expect(() => parseSize('collect', '--max-size', text, 1024)).toThrow(
      `collect: --max-size must be a size of at least 1024 bytes such as 10MiB, 512KiB, 100MB or 1048576 (bytes); got ${JSON.stringify(text)}`,
    );
  });

  test('below the minimum', () => {
    expect(() => parseSize('collect', '--max-size', '1000', 1024)).toThrow(/at least 1024 bytes .*got "1000"$/);
  });
});

describe('parseSyslogUrl', () => {
  test('tcp, udp and tls with a host and port (514 when left out), unix with a path', () => {
    expect(parseSyslogUrl('tcp://127.0.0.1:514')).toEqual({ transport: 'tcp', host: '127.0.0.1', port: 514 });
    expect(parseSyslogUrl('udp://logs.example:5140')).toEqual({ transport: 'udp', host: 'logs.example', port: 5140 });
    expect(parseSyslogUrl('tls://[::1]')).toEqual({ transport: 'tls', host: '::1', port: 514 });
    expect(parseSyslogUrl('unix:///dev/log')).toEqual({ transport: 'unix', path: '/dev/log' });
  });

  test.each(['127.0.0.1:514', 'http://127.0.0.1:514', 'tcp://', 'tcp://host:514/path', 'unix://', 'unix://host/x'])('%j is refused', (text) => {
    expect(() => parseSyslogUrl(text)).toThrow(
      `collect: --syslog must be tcp://HOST:PORT, udp://HOST:PORT, tls://HOST:PORT or unix:///PATH; got ${JSON.stringify(text)}`,
    );
  });
});

describe('parseCollectArgs', () => {
  test('every sink, several of a kind, with defaults', () => {
    const config = parseCollectArgs(['--port', '0', '--file', 'a.log', '--file', 'b.log', '--rotate', 'r.log', '--stdout', '--syslog', 'tcp://127.0.0.1:1514']);
    expect(config).toEqual({
      address: { host: '127.0.0.1', port: 0 },
      files: ['a.log', 'b.log'],
      rotate: { paths: ['r.log'], maxSizeBytes: 10 * 1024 * 1024, keep: 7, compress: false },
      stdout: true,
      syslog: [{ transport: 'tcp', host: '127.0.0.1', port: 1514 }],
      maxConnections: undefined,
    });
  });

  test('rotation settings and a Unix socket', () => {
    const config = parseCollectArgs([
      '--socket',
      '/run/app.sock',
      '--rotate',
      'r.log',
      '--max-size',
      '64KiB',
      '--keep',
      '3',
      '--compress',
      '--max-connections',
      '8',
    ]);
    expect(config).toMatchObject({ address: { path: '/run/app.sock' }, rotate: { maxSizeBytes: 65_536, keep: 3, compress: true }, maxConnections: 8 });
  });

  test('--help', () => {
    expect(parseCollectArgs(['--help'])).toBe('help');
  });

  test.each([
    [[], 'collect needs either --socket PATH or --port N (on 127.0.0.1)'],
    [['--socket', 's', '--port', '1', '--stdout'], 'collect needs either --socket PATH or --port N (on 127.0.0.1)'],
    [['--port', '0'], 'collect needs at least one sink: --file FILE, --rotate FILE, --stdout or --syslog URL'],
    [['--port', '70000', '--stdout'], 'collect: --port must be an integer from 0 to 65535; got 70000'],
    [['--port', 'http', '--stdout'], 'collect: --port must be an integer from 0 to 65535; got "http"'],
    [['--port', '0', '--file', 'a.log', '--keep', '3'], '--keep goes with --rotate FILE'],
    [['--port', '0', '--file', 'a.log', '--compress'], '--compress goes with --rotate FILE'],
    [['--port', '0', '--rotate', 'a.log', '--keep=-1'], 'collect: --keep must be an integer ≥ 0; got "-1"'],
    [['--port', '0', '--rotate', 'a.log', '--max-size', '10 parsecs'], 'collect: --max-size must be a size of at least 1024 bytes'],
    [['--port', '0', '--file', 'a.log', '--rotate', 'a.log'], '"a.log" is given twice: one sink per file'],
    [['--port', '0', '--stdout', 'extra'], 'collect takes no operands; got "extra"'],
    [['--port', '0', '--stdot'], 'unknown option --stdot'],
  ])('%j: %s', (args, message) => {
    expect(() => parseCollectArgs(args)).toThrow(message);
  });
});

describe('makeCollectSinks', () => {
  test('one sink per flag, in order; only --file sinks are reopened on SIGHUP', async () => {
    const config = parseCollectArgs([
      '--port',
      '0',
      '--file',
      '/tmp/tributary-collect-a.log',
      '--rotate',
      '/tmp/tributary-collect-r.log',
      '--compress',
      '--stdout',
      '--syslog',
      'udp://127.0.0.1:1514',
    ]);
    if (config === 'help') throw new Error('not help');
    const made = makeCollectSinks(config);
    expect(made.sinks.map((sink) => sink.name)).toEqual([
      'file:/tmp/tributary-collect-a.log',
      'rotating-file:/tmp/tributary-collect-r.log',
      'stdout',
      'rfc5424+udp://127.0.0.1:1514',
    ]);
    expect(made.reopenable.map((sink) => sink.path)).toEqual(['/tmp/tributary-collect-a.log']);
    expect(made.described).toEqual([
      'file /tmp/tributary-collect-a.log',
      'rotating file /tmp/tributary-collect-r.log (max 10485760 bytes, keep 7, gzip)',
      'stdout',
      'syslog udp://127.0.0.1:1514',
    ]);
  });

  test('a path a sink cannot use is a usage error with the sink’s message', () => {
    const config = parseCollectArgs(['--port', '0', '--file', '/proc/version/app.log']);
    if (config === 'help') throw new Error('not help');
    expect(() => makeCollectSinks(config)).toThrow(/app\.log/);
  });
});
