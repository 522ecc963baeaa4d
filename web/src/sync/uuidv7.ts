/** UUIDv7 (RFC 9562): time-ordered ids for commands and cases, monotonic within one page so sorting gives creation order. */

let lastMs = -1;
let lastSeq = 0;

/**
 * A new UUIDv7: 48-bit Unix ms, version 7, a 12-bit sequence (rand_a) that counts up within the same
 * millisecond, the RFC variant, and 62 random bits.
 * @example uuidv7() // '01926f3c-8d2a-7b01-9f3e-5c1d0e7a4b22'
 */
export function uuidv7(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs); // never go backwards if the clock is adjusted during a session
  let seq: number;
  if (ms === lastMs) {
    seq = lastSeq + 1;
    if (seq > 0xfff) {
      // 4096 ids in one ms: borrow the next millisecond rather than lose order
      ms += 1;
      seq = randomSeq();
    }
  } else {
    seq = randomSeq();
  }
  lastMs = ms;
  lastSeq = seq;

  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  // 48-bit big-endian timestamp (split: JS bit operators are 32-bit)
  const hi = Math.floor(ms / 2 ** 32);
  const lo = ms >>> 0;
  bytes[0] = (hi >>> 8) & 0xff;
  bytes[1] = hi & 0xff;
  bytes[2] = (lo >>> 24) & 0xff;
  bytes[3] = (lo >>> 16) & 0xff;
  bytes[4] = (lo >>> 8) & 0xff;
  bytes[5] = lo & 0xff;
  bytes[6] = 0x70 | ((seq >>> 8) & 0x0f);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Start each millisecond's sequence in the lower half so there is room to count up. */
function randomSeq(): number {
  const b = new Uint8Array(2);
  crypto.getRandomValues(b);
  return (((b[0] ?? 0) << 8) | (b[1] ?? 0)) & 0x7ff;
}

/** The millisecond timestamp inside a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

export const UUIDV7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
