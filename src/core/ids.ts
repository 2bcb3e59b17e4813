// Identifiers. Runtime ids are random; ids made while seeding come from the seeded faker instead (fixtures/).
import { randomFillSync, randomUUID } from 'node:crypto';

/**
 * `s` stored flat (V8 flattens a string in place when a character is read): a string built by concatenation is a tree
 * of pieces until then — `randomUUID()` answers one of about 20 pieces, ~580 bytes kept per id instead of ~76 while an
 * id sits in state or in the log (issue #17: retained memory is garbage-collector work on every write).
 */
export function flat(s: string): string {
  flatSink ^= s.charCodeAt(0) | 0;
  return s;
}
let flatSink = 0;

// A random UUID (v4) made as one flat string (issue #17): crypto.randomUUID() answers ~20 concatenated pieces (~600
// bytes of garbage per id, then a flattened copy); here the same kind of bytes — the CSPRNG's, from a pool refilled by
// randomFillSync, as randomUUID keeps one — are written as hex through a byte table into a 36-byte buffer read back as
// one latin1 string.
const UUID_POOL = Buffer.allocUnsafe(16 * 256);
let uuidPoolAt = UUID_POOL.length;
const HEX_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).padStart(2, '0');
  HEX_CODES[2 * i] = h.charCodeAt(0);
  HEX_CODES[2 * i + 1] = h.charCodeAt(1);
}
const UUID_TEXT = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
/** Where each of the 16 bytes' two hex digits go in the text (the dashes stay). */
const UUID_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

export const uuid = (): string => {
  if (uuidPoolAt === UUID_POOL.length) {
    randomFillSync(UUID_POOL);
    uuidPoolAt = 0;
  }
  const o = uuidPoolAt;
  uuidPoolAt += 16;
  for (let k = 0; k < 16; k++) {
    let b = UUID_POOL[o + k]!;
    // RFC 9562 version 4 (0100 in the high nibble of byte 6) and variant 10 (byte 8)
    if (k === 6) b = (b & 0x0f) | 0x40;
    else if (k === 8) b = (b & 0x3f) | 0x80;
    const at = UUID_AT[k]!;
    UUID_TEXT[at] = HEX_CODES[2 * b]!;
    UUID_TEXT[at + 1] = HEX_CODES[2 * b + 1]!;
  }
  return UUID_TEXT.toString('latin1', 0, 36);
};

// AIC transaction id: the form real tenants send in x-forgerock-transactionid (S4 L6100–6150), a UUID and a number.
// Made on every request without one, so it is a per-process random prefix and a counter, not fresh randomness; the
// counter can be read back (transactionNumber), so a log entry keeps a number instead of the string.
const TX_PREFIX = randomUUID().slice(0, 24);
let txCounter = 0;
// the last id made and its number: the access log reads the number back right after the id is made (no parse)
let lastTxId = '';
let lastTxNumber = 0;
export const transactionId = (): string => {
  lastTxNumber = ++txCounter;
  return (lastTxId = transactionIdOf(lastTxNumber));
};

/** A request's transaction id: the caller's own (recordings: frodo-… in and out), or one made (S4 L6100–6150). */
export function transactionIdFor(given: string | undefined): string {
  return given || transactionId();
}

/** The transaction id made for counter value `n`. */
export function transactionIdOf(n: number): string {
  return `${TX_PREFIX}${n.toString(16).padStart(12, '0')}-${n % 1_000_000}`;
}

/** The counter value of a transaction id this process made, or undefined for any other id. */
export function transactionNumber(txId: string): number | undefined {
  if (txId === lastTxId) return lastTxNumber;
  if (txId.length < 38 || !txId.startsWith(TX_PREFIX) || txId.charCodeAt(36) !== 45) return undefined;
  const n = parseInt(txId.slice(24, 36), 16);
  return Number.isSafeInteger(n) && transactionIdOf(n) === txId ? n : undefined;
}

/** 32 hex chars, the form ISC uses for object ids and tracking ids. */
export const hexId = (): string => randomUUID().replace(/-/g, '');

/** FNV-1a (32-bit) of a string: deterministic digits and seeds derived from names (ESV timestamps, log traffic). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
