import type { ChannelCloseInfo, ListenerEndpoint } from '../channel/types.ts';
import { describeThrown } from '../encode/json-value.ts';
import { RecordEncoder } from '../encode/record-encoder.ts';
import { entryFromLine } from '../entry.ts';
import { PROTOCOL_VERSION, invalidProducerFrame } from '../protocol/frames.ts';
import type { HelloFrame, ReceivedFrame } from '../protocol/frames.ts';
import type { LineBlock } from '../protocol/line-block.ts';
import { ByteLineEntry } from '../entry-bytes.ts';
import type { LogEntry } from '../record.ts';

/** Exit reasons the listener reports with a warn `tributary.producer_exited` record. */
const ABNORMAL_EXITS: ReadonlySet<string> = new Set(['crashed', 'killed', 'terminated']);

/** What happened to one producer's records, over all its sessions: the summary's per-producer part. */
export interface ProducerStats {
  /** The producer id. */
  readonly producer: string;
  /** Records the listener took from it (its own `tributary.dropped` notices included). */
  received: number;
  /** Records known lost, exact: sequence gaps, records it had handed over when it died. */
  lost: number;
  /** Records its own queue dropped, as it reported them in its `tributary.dropped` records. */
  dropped: number;
  /**
   * Set when it ended without saying goodbye in batched (non-durable) delivery (killed by a signal, or
   * its exit gave up on a slow listener): records it logged after this sequence number may be lost,
   * their number is unknown (possibly none).
   */
  lostUnknownAfterSeq?: number;
}

/** What a session needs from the listener. */
export interface SessionHost {
  /** The running totals of a producer id (made on first use). */
  statsFor(producer: string): ProducerStats;
  /** Claims a producer id; returns a reason to refuse when another live session has it. */
  claim(session: ProducerSession, producer: string): string | undefined;
  /** Gives up the id. */
  release(session: ProducerSession): void;
  /** Hands records to the sinks. */
  dispatch(entries: readonly LogEntry[]): void;
  /** Records a loss or an event as one of the listener's own records. */
  notice(level: 'info' | 'warn' | 'error', msg: string, fields: Readonly<Record<string, unknown>>): void;
  /** Reports a protocol or producer problem. */
  report(kind: 'producer' | 'protocol', message: string): void;
  /** Resolves `complete` once everything dispatched so far reached the sinks (bounded by a timeout). */
  flushSinks(): Promise<boolean>;
  /** Called once when the session has ended. */
  ended(session: ProducerSession): void;
}

/**
 * The listener's view of one producer on one channel: checks its frames, its sequence numbers (a hole
 * becomes a `tributary.lost` record with the exact count; a repeat is written once), acknowledges
 * what it dispatched, and notices when the producer goes away without saying goodbye.
 */
export class ProducerSession {
  producer: string | undefined;
  hello: HelloFrame | undefined;
  /** Last sequence number dispatched. */
  lastSeq = 0;
  /** Records dispatched. */
  received = 0;
  /** Records reported lost. */
  lost = 0;
  private stats: ProducerStats | undefined;
  private saidBye = false;
  private ended = false;
  /** Re-encodes lines that are not one JSON object on one line (made on first need). */
  private repairEncoder: RecordEncoder | undefined;

  constructor(
    private readonly endpoint: ListenerEndpoint,
    private readonly host: SessionHost,
  ) {
    endpoint.onFrame((frame) => this.receive(frame));
    endpoint.onClose((info) => this.closed(info));
  }

  /** Ends the session from the listener's side (on stop): nothing more is taken from it. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.host.release(this);
    this.endpoint.close();
    this.host.ended(this);
  }

  /** Takes at once every frame the producer already handed over, if the channel can tell. */
  drain(): void {
    if (!this.ended) this.endpoint.drain?.();
  }

  private receive(frame: ReceivedFrame): void {
    try {
      this.receiveUnsafe(frame);
    } catch (thrown) {
      // A hostile frame (a throwing getter, a Proxy) must not crash the listener's thread.
      this.host.report('protocol', `unusable frame from producer ${this.producer ?? '(no hello yet)'}: ${describeThrown(thrown)}`);
    }
  }

  private receiveUnsafe(frame: ReceivedFrame): void {
    if (this.ended) return;
    const invalid = invalidProducerFrame(frame);
    if (invalid !== undefined) {
      this.host.report('protocol', `malformed frame from producer ${this.producer ?? '(no hello yet)'}: ${invalid}`);
      return;
    }
    if (frame.type === 'hello') return this.greet(frame);
    if (this.producer === undefined) return this.refuse(`expected a hello frame first, got ${frame.type}`);
    switch (frame.type) {
      case 'batch':
        return this.accept(frame.firstSeq, frame.lines.length, (skip) => this.lineEntries(frame.lines, skip, frame.firstSeq));
      case 'block':
        return this.accept(frame.firstSeq, frame.block.length, (skip) => this.blockEntries(frame.block, skip, frame.firstSeq));
      case 'flush':
        void this.host
          .flushSinks()
          .then((complete) => this.endpoint.send({ type: 'flushed', id: frame.id, complete }))
          .catch(() => {});
        return;
      case 'bye':
        this.saidBye = true;
        if (frame.lastSeq > this.lastSeq) this.reportLoss(frame.lastSeq - this.lastSeq, this.lastSeq + 1, 'records announced in bye never arrived');
        return;
    }
  }

  private greet(hello: HelloFrame): void {
    if (this.producer !== undefined) return this.host.report('protocol', `second hello from producer ${this.producer} ignored`);
    if (hello.version !== PROTOCOL_VERSION) {
      return this.refuse(`producer ${hello.producer} speaks protocol version ${hello.version}; this listener speaks ${PROTOCOL_VERSION}`);
    }
    const lastSeq = hello.lastSeq ?? 0;
    if (typeof lastSeq !== 'number' || !Number.isSafeInteger(lastSeq) || lastSeq < 0) {
      return this.refuse(`producer ${hello.producer} sent a hello with a bad lastSeq (${describeThrown(lastSeq)})`);
    }
    const conflict = this.host.claim(this, hello.producer);
    if (conflict !== undefined) return this.refuse(conflict);
    this.producer = hello.producer;
    this.stats = this.host.statsFor(hello.producer);
    this.hello = hello;
    this.lastSeq = lastSeq;
  }

  /**
   * Takes `count` records from `firstSeq` on: a hole before them is reported as lost, records already
   * taken are skipped (exactly once), the rest go to the sinks as `entriesFrom(skip)` makes them.
   */
  private accept(firstSeq: number, count: number, entriesFrom: (skip: number) => LogEntry[]): void {
    const expected = this.lastSeq + 1;
    let skip = 0;
    if (firstSeq > expected) {
      this.reportLoss(firstSeq - expected, expected, 'sequence gap');
    } else if (firstSeq < expected) {
      skip = Math.min(count, expected - firstSeq);
    }
    const entries = skip < count ? entriesFrom(skip) : [];
    const last = firstSeq + count - 1;
    if (last > this.lastSeq) this.lastSeq = last;
    this.received += entries.length;
    if (entries.length > 0) {
      if (this.stats !== undefined) {
        this.stats.received += entries.length;
        this.countDropNotices(entries, this.stats);
      }
      this.host.dispatch(entries);
    }
    this.endpoint.send({ type: 'ack', seq: this.lastSeq });
  }

  /** A batch's lines from `skip` on as entries; a line that is not one JSON line is repaired. */
  private lineEntries(lines: readonly string[], skip: number, firstSeq: number): LogEntry[] {
    const entries: LogEntry[] = [];
    for (let index = skip; index < lines.length; index++) {
      const line: unknown = lines[index];
      entries.push(entryFromLine(isOneJsonLine(line) ? line : this.repair(line, firstSeq + index)));
    }
    return entries;
  }

  /** A block's lines from `skip` on as entries holding their bytes; a line that is not one JSON line is repaired. */
  private blockEntries(block: LineBlock, skip: number, firstSeq: number): LogEntry[] {
    const entries: LogEntry[] = [];
    let start = block.start(skip);
    for (let index = skip; index < block.length; index++) {
      const end = block.end(index);
      entries.push(block.isOneJsonLine(start, end) ? new ByteLineEntry(block, start, end) : entryFromLine(this.repair(block.text(index), firstSeq + index)));
      start = end + 1;
    }
    return entries;
  }

  /**
   * A line that is not one JSON object on one line (a misbehaving producer) becomes a record of its
   * own in that place of the producer's sequence, with the text as `msg`, so that sinks never write
   * a torn or forged line.
   */
  private repair(line: unknown, seq: number): string {
    this.repairEncoder ??= new RecordEncoder({ producer: this.producer ?? '?', pid: Number(this.hello?.pid) });
    let text: string;
    try {
      text = String(line);
    } catch (thrown) {
      text = `[Throws: ${describeThrown(thrown)}]`;
    }
    return this.repairEncoder.encode('warn', text, '"tributary"', seq, '', { unparsable: true });
  }

  /**
   * Adds up the producer's own `tributary.dropped` records (records its full queue dropped). Only
   * warn records are looked at, and only their text is searched before one is parsed.
   */
  private countDropNotices(entries: readonly LogEntry[], stats: ProducerStats): void {
    for (const entry of entries) {
      if (entry.level !== 'warn' || !entry.line.includes('"msg":"tributary.dropped"')) continue;
      const record = entry.record;
      if (record.logger !== 'tributary' || record['producerOfDropped'] === undefined) continue;
      const dropped = Number(record['dropped']);
      if (Number.isSafeInteger(dropped) && dropped > 0) stats.dropped += dropped;
    }
  }

  private reportLoss(count: number, fromSeq: number, reason: string): void {
    this.lost += count;
    if (this.stats !== undefined) this.stats.lost += count;
    this.host.notice('error', 'tributary.lost', {
      lost: count,
      lostProducer: this.producer,
      fromSeq,
      toSeq: fromSeq + count - 1,
      reason,
    });
  }

  /**
   * The producer ended without goodbye in batched delivery: what it had queued in its own memory and
   * not sent may be gone, and nobody can say how much. Written as a `tributary.lost` record without a count.
   */
  private reportUnknownLoss(info: ChannelCloseInfo): void {
    const afterSeq = Math.max(this.lastSeq, info.lastSeqKnown ?? 0);
    if (this.stats !== undefined) this.stats.lostUnknownAfterSeq = afterSeq;
    const how =
      info.exit?.signal !== undefined ? `killed by ${info.exit.signal}` : `ended without goodbye (${info.reason ?? info.exit?.reason ?? 'channel closed'})`;
    this.host.notice('error', 'tributary.lost', {
      lost: 'unknown',
      lostProducer: this.producer,
      afterSeq,
      reason: `producer ${how} in batched delivery: an unknown number of records after seq ${afterSeq} (queued in its memory, not sent) may be lost; use delivery: 'sync' to lose none`,
    });
  }

  /** The one warn `tributary.producer_exited` record: who, how, and the last record that arrived. */
  private reportExit(info: ChannelCloseInfo): void {
    const exit = info.exit;
    this.host.notice('warn', 'tributary.producer_exited', {
      exitedProducer: this.producer,
      lastSeq: this.lastSeq,
      reason: info.reason ?? 'channel closed without bye',
      ...(exit === undefined ? {} : { exitReason: exit.reason }),
      ...(exit?.code === undefined ? {} : { exitCode: exit.code }),
      ...(exit?.signal === undefined ? {} : { signal: exit.signal }),
    });
  }

  private refuse(reason: string): void {
    this.host.report('producer', `refused a producer: ${reason}`);
    this.host.notice('error', 'tributary.refused', { reason });
    this.endpoint.send({ type: 'refused', reason });
    this.ended = true;
    this.endpoint.close();
    this.host.ended(this);
  }

  private closed(info: ChannelCloseInfo): void {
    if (this.ended) return;
    this.ended = true;
    if (this.producer !== undefined) {
      let lostNow = false;
      if (!this.saidBye) {
        const known = info.lastSeqKnown ?? 0;
        if (known > this.lastSeq) {
          lostNow = true;
          this.reportLoss(known - this.lastSeq, this.lastSeq + 1, `producer ended (${info.reason ?? 'channel closed'}) before handing these over`);
        }
        // In batched delivery, an end without goodbye (killed by a signal, or its exit drain gave up on a
        // listener that took too long) leaves records of its own memory unsent: an unknown tail is gone.
        if (this.hello?.durable === false) {
          this.reportUnknownLoss(info);
          lostNow = true;
        }
      }
      // With the adapter's word on how it ended: a crash, kill or termination is reported even after a
      // goodbye, a normal end only when something was lost. Without it, an end without goodbye is abnormal.
      const abnormal = info.exit === undefined ? !this.saidBye : ABNORMAL_EXITS.has(info.exit.reason) || lostNow;
      if (abnormal) this.reportExit(info);
    }
    this.host.release(this);
    this.host.ended(this);
  }
}

/** Cheap check that a line can be written as it is: a string holding one JSON object on one line. */
function isOneJsonLine(line: unknown): line is string {
  return (
    typeof line === 'string' &&
    line.charCodeAt(0) === 123 /* { */ &&
    line.charCodeAt(line.length - 1) === 125 /* } */ &&
    line.indexOf('\n') === -1 &&
    line.indexOf('\r') === -1
  );
}
