// Call recording: both legs of one call in a stereo 16 kHz 16-bit WAV, left = the caller,
// right = what the caller hears (AI and agent). The caller's inbound frames are the clock: each
// caller frame pulls the same number of samples from a far-side jitter buffer, so the two
// channels stay aligned however the far side is chunked, and gaps in what we send are silence.
//
// Audio streams to disk in ~200 ms batches (positional writes through one FileHandle, one in
// flight at a time), so a call never sits in memory and 500 concurrent calls cost ~2.5k writes/s,
// not one per 20 ms frame. The header is written first with "length unknown" sizes, so a file
// left by a crash still decodes, and is patched with the real sizes on close().
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { encodeWav } from '../speech/wav';

export const RECORDING_SAMPLE_RATE = 16_000;
/** Far-side audio buffered beyond this is older than anything the caller could still hear. */
export const FAR_SIDE_LIMIT_MS = 2_000;
/** Audio per disk write: the syscall-rate vs memory knob. */
export const RECORDING_BATCH_MS = 200;
/** Audio allowed to wait on a stalled disk before batches are skipped (left as silence). */
export const RECORDING_WRITE_BACKLOG_MS = 5_000;

const CHANNELS = 2;
const BYTES_PER_FRAME = CHANNELS * 2;
const HEADER_BYTES = 44;
const SAMPLES_PER_MS = RECORDING_SAMPLE_RATE / 1000;
/** RIFF sizes are 32-bit; ~18 h of stereo 16 kHz. Past that we leave the "unknown" marker. */
const UNKNOWN_SIZE = 0xffffffff;
const BIG_ENDIAN_HOST = endianness() === 'BE';

export interface CallRecording {
  path: string;
  durationMs: number;
  /** Size of the finished file, header included. */
  bytes: number;
  /** Far-side audio discarded because the buffer passed FAR_SIDE_LIMIT_MS. */
  droppedFarSideMs: number;
  /** Audio left as silence because the disk fell more than RECORDING_WRITE_BACKLOG_MS behind. */
  droppedWriteMs: number;
}

export interface CallRecorder {
  readonly path: string;
  /** One inbound caller frame (16 kHz mono); also advances the far-side channel by as much. */
  writeCaller(pcm16k: Int16Array): void;
  /** Audio sent toward the caller (16 kHz mono), as it is sent; any chunk size. */
  writeFarSide(pcm16k: Int16Array): void;
  /** Flush, patch the header and close. Idempotent; rejects if any write failed. */
  close(): Promise<CallRecording>;
  /** Audio handed to the disk and not yet written: how far the disk is behind (past RECORDING_WRITE_BACKLOG_MS, audio is dropped). */
  readonly backlogMs: number;
}

/** A canonical 44-byte header for our stereo layout; encodeWav only writes mono. */
export function stereoHeader(dataBytes: number): Uint8Array {
  const header = encodeWav(new Int16Array(0), RECORDING_SAMPLE_RATE);
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  const known = dataBytes <= UNKNOWN_SIZE - 36;
  view.setUint32(4, known ? 36 + dataBytes : UNKNOWN_SIZE, true);
  view.setUint16(22, CHANNELS, true);
  view.setUint32(28, RECORDING_SAMPLE_RATE * BYTES_PER_FRAME, true);
  view.setUint16(32, BYTES_PER_FRAME, true);
  view.setUint32(40, known ? dataBytes : UNKNOWN_SIZE, true);
  return header;
}

/** A bounded FIFO of samples; overflow drops the oldest, which the caller has missed anyway. */
function createFarSideBuffer(capacity: number) {
  const ring = new Int16Array(capacity);
  let head = 0; // next sample to read
  let size = 0;
  let dropped = 0;
  return {
    get dropped(): number {
      return dropped;
    },
    push(pcm: Int16Array): void {
      let input = pcm;
      if (input.length > capacity) {
        dropped += input.length - capacity;
        input = input.subarray(input.length - capacity);
      }
      const overflow = size + input.length - capacity;
      if (overflow > 0) {
        head = (head + overflow) % capacity;
        size -= overflow;
        dropped += overflow;
      }
      const tail = (head + size) % capacity;
      const first = Math.min(input.length, capacity - tail);
      ring.set(input.subarray(0, first), tail);
      ring.set(input.subarray(first), 0);
      size += input.length;
    },
    /** Next sample, or silence when the far side has nothing queued. */
    shift(): number {
      if (size === 0) return 0;
      const sample = ring[head] ?? 0;
      head = (head + 1) % capacity;
      size--;
      return sample;
    },
  };
}

export function createCallRecorder(path: string): CallRecorder {
  const farSide = createFarSideBuffer(FAR_SIDE_LIMIT_MS * SAMPLES_PER_MS);
  const batchFrames = RECORDING_BATCH_MS * SAMPLES_PER_MS;
  const backlogLimitBytes = RECORDING_WRITE_BACKLOG_MS * SAMPLES_PER_MS * BYTES_PER_FRAME;

  let batch = new Int16Array(batchFrames * CHANNELS);
  let batchFill = 0; // frames
  let frames = 0; // frames accepted from the caller, written or not
  let writtenPosition = HEADER_BYTES; // file offset of the next batch
  let queuedBytes = 0;
  let droppedWriteFrames = 0;
  let failure: unknown;
  let closing: Promise<CallRecording> | undefined;

  // A failure is remembered for close() rather than thrown: the audio path must never stall or
  // crash on disk trouble.
  // Owner-only: a recording is a customer's voice (the data directory is 0700 as well).
  const handle: Promise<FileHandle | undefined> = mkdir(dirname(path), { recursive: true, mode: 0o700 })
    .then(() => open(path, 'w', 0o600))
    .then(async (fh) => {
      await fh.write(stereoHeader(UNKNOWN_SIZE), 0, HEADER_BYTES, 0);
      return fh;
    })
    .catch((error: unknown) => {
      failure ??= error;
      return undefined;
    });

  // Batches waiting for the disk. One drain loop writes them in order; whatever piled up while
  // a write was in flight goes out in the next single writev, so a slow disk gets fewer, larger
  // writes instead of a growing queue.
  const pending: { bytes: Buffer; position: number }[] = [];
  let draining = false;
  let drained: Promise<void> = Promise.resolve();

  async function drain(): Promise<void> {
    const fh = await handle;
    while (pending.length > 0) {
      const run = pending.splice(0, contiguousRun());
      const position = run[0]?.position ?? 0;
      const buffers = run.map((entry) => entry.bytes);
      const byteLength = buffers.reduce((sum, bytes) => sum + bytes.byteLength, 0);
      try {
        if (fh && failure === undefined) {
          const { bytesWritten } = await fh.writev(buffers, position);
          if (bytesWritten !== byteLength) throw new Error(`short write: ${bytesWritten} of ${byteLength} bytes (disk full?)`);
        }
      } catch (error) {
        failure ??= error;
      } finally {
        queuedBytes -= byteLength;
      }
    }
    // Same synchronous step as the emptiness check above, so no batch can slip in between.
    draining = false;
  }

  /** How many pending batches from the front sit back to back in the file (a skip breaks a run). */
  function contiguousRun(): number {
    let count = 1;
    while (count < pending.length) {
      const previous = pending[count - 1];
      const next = pending[count];
      if (!previous || !next || previous.position + previous.bytes.byteLength !== next.position) break;
      count++;
    }
    return count;
  }

  function flushBatch(): void {
    if (batchFill === 0) return;
    const byteLength = batchFill * BYTES_PER_FRAME;
    const position = writtenPosition;
    writtenPosition += byteLength;
    if (failure !== undefined) {
      batchFill = 0;
      return;
    }
    if (queuedBytes + byteLength > backlogLimitBytes) {
      // Positional writes leave a hole that reads back as zeros, so alignment survives the skip.
      droppedWriteFrames += batchFill;
      batchFill = 0;
      return;
    }
    const bytes = Buffer.from(batch.buffer, batch.byteOffset, byteLength);
    if (BIG_ENDIAN_HOST) bytes.swap16();
    queuedBytes += byteLength;
    pending.push({ bytes, position });
    // The buffer now belongs to the pending write; the next batch gets a fresh one.
    batch = new Int16Array(batchFrames * CHANNELS);
    batchFill = 0;
    if (!draining) {
      draining = true;
      drained = drain();
    }
  }

  function writeCaller(pcm16k: Int16Array): void {
    if (closing) return; // late frames racing hang-up are not part of the call
    for (let i = 0; i < pcm16k.length; i++) {
      const at = batchFill * CHANNELS;
      batch[at] = pcm16k[i] ?? 0;
      batch[at + 1] = farSide.shift();
      batchFill++;
      frames++;
      if (batchFill === batchFrames) flushBatch();
    }
  }

  function writeFarSide(pcm16k: Int16Array): void {
    if (closing) return;
    farSide.push(pcm16k);
  }

  async function finish(): Promise<CallRecording> {
    flushBatch();
    await drained;
    const fh = await handle;
    const dataBytes = frames * BYTES_PER_FRAME;
    const bytes = HEADER_BYTES + dataBytes;
    if (fh) {
      try {
        if (failure === undefined) {
          await fh.write(stereoHeader(dataBytes), 0, HEADER_BYTES, 0);
          // A skipped final batch would otherwise leave the file shorter than its header says.
          await fh.truncate(bytes);
        }
      } catch (error) {
        failure ??= error;
      } finally {
        await fh.close().catch((error: unknown) => {
          failure ??= error;
        });
      }
    }
    if (failure !== undefined) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new Error(
        `Call recording to ${path} failed (${reason}); check that the recordings directory is writable and has free space.`,
        { cause: failure },
      );
    }
    return {
      path,
      durationMs: frames / SAMPLES_PER_MS,
      bytes,
      droppedFarSideMs: farSide.dropped / SAMPLES_PER_MS,
      droppedWriteMs: droppedWriteFrames / SAMPLES_PER_MS,
    };
  }

  return {
    path,
    writeCaller,
    writeFarSide,
    get backlogMs(): number {
      return queuedBytes / BYTES_PER_FRAME / SAMPLES_PER_MS;
    },
    close(): Promise<CallRecording> {
      closing ??= finish();
      return closing;
    },
  };
}
