/**
 * Frames as bytes, for channels that carry a byte stream (a pipe, a socket). Each frame is a fixed
 * 28-byte header followed by its payload:
 *
 * | offset | size | field                                                        |
 * |-------:|-----:|--------------------------------------------------------------|
 * | 0      | 2    | magic `TR` (0x54 0x52)                                       |
 * | 2      | 1    | codec version (1)                                            |
 * | 3      | 1    | kind: 1 = any frame as JSON, 2 = a batch of lines            |
 * | 4      | 4    | payload length in bytes (u32, little endian)                 |
 * | 8      | 8    | batch: first sequence number (f64); otherwise 0              |
 * | 16     | 4    | batch: number of lines (u32); otherwise 0                    |
 * | 20     | 4    | checksum of the payload (FNV-1a style, 32-bit words)        |
 * | 24     | 4    | checksum of bytes 0–23                                       |
 *
 * A batch's payload is the length of the producer id and of each line (u32 each, in UTF-16 code
 * units) followed by the UTF-8 text of the id and the lines, back to back: no line is scanned or
 * escaped, whatever it contains. Other frames are JSON. The header has its own checksum, so a
 * decoder can trust the sequence numbers of a frame whose payload never arrived in full: that is how
 * a producer that died mid-frame has its torn batch reported exactly instead of mis-parsed. After
 * damage the decoder resynchronises on the next valid header. No runtime-specific code: only
 * `Uint8Array`, `DataView`, `TextEncoder` and `TextDecoder`.
 */
import { concatBytes } from '../concat-bytes.ts';
import type { ListenerFrame, ProducerFrame } from './frames.ts';

/** Bytes in every frame's header. */
export const FRAME_HEADER_BYTES = 28;

const MAGIC_0 = 0x54;
const MAGIC_1 = 0x52;
const CODEC_VERSION = 1;
const KIND_JSON = 1;
const KIND_BATCH = 2;

/** Any frame either side sends. */
export type WireFrame = ProducerFrame | ListenerFrame;

/** Damage found in a byte stream: bytes that were not a whole, intact frame. */
export interface FrameDamage {
  /**
   * `partial`: the stream ended inside a frame (its producer died mid-write); `corrupt`: bytes that
   * are not a valid frame were skipped.
   */
  readonly kind: 'partial' | 'corrupt';
  /** How many bytes were discarded. */
  readonly bytes: number;
  /**
   * Set when the bytes began with an intact header announcing a payload above `maxFrameBytes`: the
   * payload length it announced.
   */
  readonly oversizedBytes?: number;
  /** When the discarded bytes began with an intact header of a batch: its first sequence number. */
  readonly firstSeq?: number;
  /** …and its number of records. */
  readonly count?: number;
}

/** Options of a {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Frames whose header announces more payload than this are treated as corrupt. Default: 256 MiB. */
  readonly maxFrameBytes?: number;
  /** Receives damage found in the middle of the stream (the stream's end is reported by `end()`). Default: none. */
  readonly onDamage?: (damage: FrameDamage) => void;
  /**
   * For a stream that must hold nothing but whole frames while it lasts (a socket whose peer is a
   * separate program): the first damage ends decoding at once. It is reported through `onDamage`
   * right away, with every byte left over, and later chunks are ignored. Default: false (skip the
   * damage and resynchronise on the next valid header).
   */
  readonly stopAtDamage?: boolean;
}

interface TextCodecs {
  TextEncoder: new () => { encodeInto(text: string, into: Uint8Array): { written: number } };
  TextDecoder: new (label: string) => { decode(bytes: Uint8Array): string };
}

const codecs = globalThis as unknown as TextCodecs;
const textEncoder = new codecs.TextEncoder();
const textDecoder = new codecs.TextDecoder('utf-8');

/** Encodes a frame into bytes: header and payload in one array. */
export function encodeFrame(frame: WireFrame): Uint8Array {
  if (frame.type === 'batch' && isLineBatch(frame.producer, frame.lines)) return encodeBatch(frame.producer, frame.firstSeq, frame.lines);
  const text = JSON.stringify(frame);
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + text.length * 3);
  const written = textEncoder.encodeInto(text, bytes.subarray(FRAME_HEADER_BYTES)).written;
  return finishFrame(bytes, KIND_JSON, written, 0, 0);
}

function isLineBatch(producer: unknown, lines: readonly unknown[]): lines is readonly string[] {
  if (typeof producer !== 'string' || !Array.isArray(lines)) return false;
  for (const line of lines) if (typeof line !== 'string') return false;
  return true;
}

function encodeBatch(producer: string, firstSeq: number, lines: readonly string[]): Uint8Array {
  const text = producer + lines.join('');
  const tableBytes = 4 * (lines.length + 1);
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + tableBytes + text.length * 3);
  const table = new DataView(bytes.buffer, bytes.byteOffset + FRAME_HEADER_BYTES, tableBytes);
  table.setUint32(0, producer.length, true);
  for (let index = 0; index < lines.length; index++) table.setUint32(4 * (index + 1), (lines[index] as string).length, true);
  const written = textEncoder.encodeInto(text, bytes.subarray(FRAME_HEADER_BYTES + tableBytes)).written;
  return finishFrame(bytes, KIND_BATCH, tableBytes + written, firstSeq, lines.length);
}

/** Writes the header in front of a payload of `length` bytes and trims the array to the frame. */
function finishFrame(bytes: Uint8Array, kind: number, length: number, firstSeq: number, count: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  bytes[0] = MAGIC_0;
  bytes[1] = MAGIC_1;
  bytes[2] = CODEC_VERSION;
  bytes[3] = kind;
  view.setUint32(4, length, true);
  view.setFloat64(8, firstSeq, true);
  view.setUint32(16, count, true);
  view.setUint32(20, checksum(bytes, FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length), true);
  view.setUint32(24, checksum(bytes, 0, 24), true);
  return bytes.subarray(0, FRAME_HEADER_BYTES + length);
}

/** A 32-bit checksum in the manner of FNV-1a, taken four bytes at a time (any change flips it). */
function checksum(bytes: Uint8Array, start: number, end: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hash = 0x811c9dc5 ^ (end - start);
  let index = start;
  for (; index + 4 <= end; index += 4) {
    hash = Math.imul(hash ^ view.getUint32(index, true), 0x01000193);
    hash ^= hash >>> 13;
  }
  for (; index < end; index++) hash = Math.imul(hash ^ (bytes[index] as number), 0x01000193);
  return hash >>> 0;
}

interface Header {
  readonly kind: number;
  readonly length: number;
  readonly firstSeq: number;
  readonly count: number;
  readonly payloadChecksum: number;
}

/** Reads the header at `offset`, or returns undefined when it is not an intact header. */
function readHeader(bytes: Uint8Array, offset: number, maxFrameBytes: number): Header | undefined {
  if (bytes[offset] !== MAGIC_0 || bytes[offset + 1] !== MAGIC_1 || bytes[offset + 2] !== CODEC_VERSION) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, FRAME_HEADER_BYTES);
  if (view.getUint32(24, true) !== checksum(bytes, offset, offset + 24)) return undefined;
  const kind = bytes[offset + 3] as number;
  const length = view.getUint32(4, true);
  if ((kind !== KIND_JSON && kind !== KIND_BATCH) || length > maxFrameBytes) return undefined;
  return { kind, length, firstSeq: view.getFloat64(8, true), count: view.getUint32(16, true), payloadChecksum: view.getUint32(20, true) };
}

/**
 * Turns a byte stream back into frames, chunk by chunk. A frame is yielded only when its header and
 * payload are whole and both checksums match; anything else is skipped, counted and reported, never
 * parsed as records. Call `end()` when the stream ends to learn about a torn last frame.
 */
export class FrameDecoder {
  /** Bytes skipped as damaged so far (the torn tail reported by `end()` included once it is called). */
  damagedBytes = 0;
  private readonly maxFrameBytes: number;
  private readonly onDamage: ((damage: FrameDamage) => void) | undefined;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  /** Bytes needed before it is worth looking again (a known frame's full size). */
  private needed = FRAME_HEADER_BYTES;
  private corruptRun = 0;
  private readonly stopAtDamage: boolean;
  private stopped = false;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? 256 * 1024 * 1024;
    this.onDamage = options.onDamage;
    this.stopAtDamage = options.stopAtDamage === true;
  }

  /** Bytes received that are not yet part of a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Takes the next chunk of the stream; returns the frames it completed, in order. */
  push(chunk: Uint8Array): WireFrame[] {
    if (chunk.length === 0 || this.stopped) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    // Waiting for a header: with stopAtDamage its first bytes are checked as they come.
    if (this.buffered < this.needed && !(this.stopAtDamage && this.needed === FRAME_HEADER_BYTES)) return [];
    const bytes = concatBytes(this.chunks);
    const frames: WireFrame[] = [];
    let offset = 0;
    for (;;) {
      const available = bytes.length - offset;
      if (available < FRAME_HEADER_BYTES) {
        if (this.stopAtDamage && available > 0 && !startsLikeHeader(bytes.subarray(offset))) return this.stop(frames, bytes, offset);
        this.needed = FRAME_HEADER_BYTES;
        break;
      }
      const header = readHeader(bytes, offset, this.maxFrameBytes);
      if (header === undefined) {
        if (this.stopAtDamage) return this.stop(frames, bytes, offset);
        offset = this.skipToMagic(bytes, offset);
        continue;
      }
      const size = FRAME_HEADER_BYTES + header.length;
      if (available < size) {
        this.needed = size;
        break;
      }
      const frame = decodePayload(bytes, offset, header);
      if (frame === undefined) {
        if (this.stopAtDamage) return this.stop(frames, bytes, offset);
        offset = this.skipToMagic(bytes, offset);
        continue;
      }
      this.endCorruptRun();
      frames.push(frame);
      offset += size;
    }
    const rest = bytes.subarray(offset);
    this.chunks = rest.length === 0 ? [] : [rest];
    this.buffered = rest.length;
    return frames;
  }

  /**
   * Ends the stream. Returns what was left over, if anything: a frame cut short (with its sequence
   * numbers when its header was intact) or bytes that never formed a frame. Resets the decoder.
   */
  end(): FrameDamage | undefined {
    const bytes = concatBytes(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    this.needed = FRAME_HEADER_BYTES;
    const pendingCorrupt = this.corruptRun;
    this.corruptRun = 0;
    if (bytes.length === 0) return pendingCorrupt > 0 ? { kind: 'corrupt', bytes: pendingCorrupt } : undefined;
    this.damagedBytes += bytes.length;
    if (pendingCorrupt > 0) this.onDamage?.({ kind: 'corrupt', bytes: pendingCorrupt });
    const header = bytes.length >= FRAME_HEADER_BYTES ? readHeader(bytes, 0, this.maxFrameBytes) : undefined;
    if (header?.kind === KIND_BATCH) return { kind: 'partial', bytes: bytes.length, firstSeq: header.firstSeq, count: header.count };
    return { kind: header === undefined && !startsLikeHeader(bytes) ? 'corrupt' : 'partial', bytes: bytes.length };
  }

  /** `stopAtDamage`: reports everything from `offset` on as damage, keeps nothing and takes no more. */
  private stop(frames: WireFrame[], bytes: Uint8Array, offset: number): WireFrame[] {
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
    const discarded = bytes.length - offset;
    this.damagedBytes += discarded;
    const oversized = readHeader(bytes, offset, Number.MAX_SAFE_INTEGER);
    const damage: FrameDamage =
      oversized !== undefined && oversized.length > this.maxFrameBytes
        ? { kind: 'corrupt', bytes: discarded, oversizedBytes: oversized.length }
        : { kind: 'corrupt', bytes: discarded };
    this.onDamage?.(damage);
    return frames;
  }

  /** Skips at least one byte, up to the next possible magic; counts the skipped bytes. */
  private skipToMagic(bytes: Uint8Array, offset: number): number {
    let next = offset + 1;
    while (next < bytes.length && !(bytes[next] === MAGIC_0 && (next + 1 >= bytes.length || bytes[next + 1] === MAGIC_1))) next++;
    this.corruptRun += next - offset;
    this.damagedBytes += next - offset;
    return next;
  }

  private endCorruptRun(): void {
    if (this.corruptRun === 0) return;
    const bytes = this.corruptRun;
    this.corruptRun = 0;
    this.onDamage?.({ kind: 'corrupt', bytes });
  }
}

/** True when the bytes could be the start of a header (magic and version so far). */
function startsLikeHeader(bytes: Uint8Array): boolean {
  return bytes[0] === MAGIC_0 && (bytes.length < 2 || bytes[1] === MAGIC_1) && (bytes.length < 3 || bytes[2] === CODEC_VERSION);
}

function decodePayload(bytes: Uint8Array, offset: number, header: Header): WireFrame | undefined {
  const start = offset + FRAME_HEADER_BYTES;
  const end = start + header.length;
  if (checksum(bytes, start, end) !== header.payloadChecksum) return undefined;
  if (header.kind === KIND_BATCH) return decodeBatch(bytes, start, end, header);
  const text = textDecoder.decode(bytes.subarray(start, end));
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as WireFrame) : undefined;
  } catch {
    return undefined;
  }
}

function decodeBatch(bytes: Uint8Array, start: number, end: number, header: Header): WireFrame | undefined {
  const tableBytes = 4 * (header.count + 1);
  if (tableBytes > end - start) return undefined;
  const table = new DataView(bytes.buffer, bytes.byteOffset + start, tableBytes);
  const text = textDecoder.decode(bytes.subarray(start + tableBytes, end));
  let offset = table.getUint32(0, true);
  const producer = text.slice(0, offset);
  const lines = new Array<string>(header.count);
  for (let index = 0; index < header.count; index++) {
    const length = table.getUint32(4 * (index + 1), true);
    lines[index] = text.slice(offset, offset + length);
    offset += length;
  }
  if (offset !== text.length) return undefined;
  return { type: 'batch', producer, firstSeq: header.firstSeq, lines };
}
