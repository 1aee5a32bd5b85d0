import type { ChildProcess } from 'node:child_process';
import { readSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { FrameDecoder, encodeFrame } from '@tributary/core/adapter';
import type { ChannelCloseInfo, FrameDamage, ListenerEndpoint, ListenerFrame, ProducerFrame } from '@tributary/core/adapter';

/**
 * The listener's end of one child's pipes: records come on one, answers go out on the other (a
 * failed write of an answer to a dead child never disturbs the reading of its last records). Decodes
 * frames as chunks arrive; when the records pipe ends it
 * waits (bounded) for the child's exit status and reports how the channel ended, including a frame
 * the child was killed in the middle of writing: that frame is discarded, never parsed, and its
 * records are announced as `lastSeqKnown` so the listener reports exactly those as lost.
 * Acknowledgements for the frames of one chunk are sent as one.
 */
export class ChildPipeEndpoint implements ListenerEndpoint {
  private readonly decoder: FrameDecoder;
  private receiver: ((frame: ProducerFrame) => void) | undefined;
  private closeCallback: ((info: ChannelCloseInfo) => void) | undefined;
  private pendingAck: number | undefined;
  private inChunk = false;
  private corruptBytes = 0;
  private pipeDone = false;
  private finished = false;
  private exitTimer: ReturnType<typeof setTimeout> | undefined;
  private resolveEnded: (info: ChannelCloseInfo) => void = () => {};
  /** Settles once the pipe ended and the exit status is known (or `exitWait` passed). */
  readonly ended = new Promise<ChannelCloseInfo>((resolve) => {
    this.resolveEnded = resolve;
  });

  constructor(
    private readonly child: ChildProcess,
    private readonly pipe: Duplex,
    private readonly answers: Duplex,
    private readonly exitWait: number,
  ) {
    answers.on('error', () => {});
    this.decoder = new FrameDecoder({ onDamage: (damage) => (this.corruptBytes += damage.bytes) });
    pipe.on('data', (chunk: Uint8Array) => this.receive(chunk));
    pipe.on('error', () => this.pipeEnded());
    pipe.on('end', () => this.pipeEnded());
    pipe.on('close', () => this.pipeEnded());
    child.once('exit', () => {
      if (this.pipeDone) this.finish();
    });
  }

  send(frame: ListenerFrame): void {
    if (this.finished || this.answers.destroyed) return;
    if (frame.type === 'ack' && this.inChunk) {
      this.pendingAck = frame.seq;
      return;
    }
    this.write(frame);
  }

  onFrame(receiver: (frame: ProducerFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: (info: ChannelCloseInfo) => void): void {
    this.closeCallback = callback;
  }

  /**
   * Reads at once, synchronously, what the child already put into the pipe, and delivers it (the
   * listener calls this before it flushes or stops). Works where the pipe's descriptor is known
   * (Node); elsewhere the records arrive through the stream as usual.
   */
  drain(): void {
    const fd = (this.pipe as { _handle?: { fd?: unknown } })._handle?.fd;
    if (this.pipeDone || typeof fd !== 'number' || fd < 0) return;
    // Bytes the stream already read but has not emitted yet come first (read() emits them as 'data').
    while (this.pipe.readableLength > 0 && this.pipe.read() !== null);
    if (this.pipe.readableLength > 0) return;
    const buffer = new Uint8Array(65_536);
    for (let rounds = 0; rounds < 4_096; rounds++) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch {
        return; // EAGAIN: nothing more waits; anything else: the stream will report it
      }
      if (read === 0) return;
      this.receive(buffer.slice(0, read));
    }
  }

  close(): void {
    if (this.finished) return;
    this.pipe.destroy();
    this.answers.destroy();
    this.pipeEnded();
  }

  private write(frame: ListenerFrame): void {
    try {
      this.answers.write(encodeFrame(frame));
    } catch {
      // the child is gone; the listener drops frames to dead producers
    }
  }

  private receive(chunk: Uint8Array): void {
    this.inChunk = true;
    try {
      for (const frame of this.decoder.push(chunk)) this.receiver?.(frame as ProducerFrame);
    } finally {
      this.inChunk = false;
      if (this.pendingAck !== undefined) {
        const seq = this.pendingAck;
        this.pendingAck = undefined;
        if (!this.finished && !this.answers.destroyed) this.write({ type: 'ack', seq });
      }
    }
  }

  private pipeEnded(): void {
    if (this.pipeDone) return;
    this.pipeDone = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.finish();
    this.exitTimer = setTimeout(() => this.finish(), this.exitWait);
    this.exitTimer.unref();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.exitTimer !== undefined) clearTimeout(this.exitTimer);
    this.answers.destroy();
    const info = closeInfo(this.child, this.decoder.end(), this.corruptBytes);
    this.closeCallback?.(info);
    this.resolveEnded(info);
  }
}

function closeInfo(child: ChildProcess, tail: FrameDamage | undefined, corruptBytes: number): ChannelCloseInfo {
  const how =
    child.signalCode !== null ? `killed by ${child.signalCode}` : child.exitCode !== null ? `exit code ${child.exitCode}` : 'pipe closed while the process runs';
  const notes: string[] = [how];
  if (tail !== undefined) notes.push(`discarded ${tail.kind === 'partial' ? 'a frame cut short' : 'corrupt bytes'} (${tail.bytes} bytes) at the end`);
  if (corruptBytes > 0) notes.push(`skipped ${corruptBytes} corrupt bytes`);
  const reason = notes.join('; ');
  const exit = exitOf(child);
  const withExit = exit === undefined ? { reason } : { reason, exit };
  if (tail?.firstSeq !== undefined && tail.count !== undefined && tail.count > 0) {
    return { ...withExit, lastSeqKnown: tail.firstSeq + tail.count - 1 };
  }
  return withExit;
}

/**
 * How the child ended, from its exit status: a signal is `killed` (the listener then knows that a
 * child in batched delivery lost what it had queued), a non-zero code `crashed`, code 0 `ended`.
 */
function exitOf(child: ChildProcess): ChannelCloseInfo['exit'] {
  if (child.signalCode !== null) return { reason: 'killed', signal: child.signalCode };
  if (child.exitCode === null) return undefined;
  return child.exitCode === 0 ? { reason: 'ended', code: 0 } : { reason: 'crashed', code: child.exitCode };
}
