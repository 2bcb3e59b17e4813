// Per-environment log storage, indexed by source and time (DESIGN.md "Hot paths stay cheap"): one time-ordered run of
// rows per source, so a query or tail binary-searches its window instead of scanning. Bounded: past `maxEntries` the
// oldest entry of the environment (any source) is dropped first, so a load test or a long training day cannot grow it
// without end (docs/logs.md "What the emulator keeps"). Every area writes here through Environment.log(); the logs
// area (src/aic/logs) serves it.
//
// Storage is columnar (issue #17): a source keeps parallel columns (time, sequence number, kind number, data, transaction
// key, and for kinds that pack their record, a few number and reference columns), so a kept access entry is a handful
// of array slots — unboxed numbers and references to shared, interned values — rather than objects of its own that
// every garbage collection has to trace and the young generation has to copy. The columns are cut into blocks of
// 4,096 rows and used as a ring (SourceLog): a source grows by one block, never by copying its rows (a request that
// grew the store used to copy all of it), and a store at its cap writes over dropped rows and allocates nothing.
// LogEntry objects are made only when entries are read.

export interface LogEntry {
  readonly source: string;
  /** Emulator time in ms, the index key. */
  readonly t: number;
  /** Monotonic sequence number, breaks ties between entries of the same ms (used by paging cookies). */
  readonly seq: number;
  readonly type: 'application/json' | 'text/plain';
  /** ISO form of `t`, built when read. */
  readonly timestamp: string;
  /** The payload; a compact entry builds it when read (a fresh object each time). */
  readonly payload: unknown;
  /** `JSON.stringify(payload)`, which a compact kind may write without building the payload (log queries). */
  readonly payloadJson: string | undefined;
  /** The transaction id the payload carries, or the request id it is derived from (the part before '/' is the same):
   *  kept beside the payload so transaction queries never build payloads. */
  readonly tx: string | undefined;
  /** `tx` as kept: a string, or the number of an id the emulator made (core/ids.ts transactionIdOf), so a
   *  transaction query over a whole window compares numbers instead of building an id per entry. */
  readonly txKey: string | number | undefined;
}

/** Number and reference value columns a packing kind may use (see CompactKind.pack). */
export const PACKED_NUMBERS = 3;
export const PACKED_REFS = 3;

/** The packed values of one row, as a packing kind writes them (reused: copied into the columns at once). */
export interface PackedRow {
  /** numbers, kept unboxed (any number, exactly) */
  readonly num: Float64Array;
  /** references (shared strings, undefined, interned values) */
  readonly ref: unknown[];
}

/** The value columns of the block holding a row, read by `unpack` at offset `p` (a position in the block, not a span
 *  index). A reference column no row of the block wrote a value to reads undefined everywhere. */
export interface PackedColumns {
  readonly num: readonly Float64Array[];
  readonly ref: readonly (readonly unknown[])[];
}

/**
 * How a compact entry becomes its payload. Kinds are module-level constants (at most 255 of them in a process), so a
 * stored entry holds only its small data record and the number of a shared kind, never a closure over the request
 * that wrote it.
 */
export interface CompactKind<D> {
  readonly type: 'application/json' | 'text/plain';
  payload(data: D, entry: LogEntry): unknown;
  /** Optional: exactly `JSON.stringify(payload(data, entry))`, written without building the payload. */
  payloadJson?(data: D, entry: LogEntry): string;
  tx(data: D): string | undefined;
  /** Optional: `tx` as kept (see LogEntry.txKey); without it, `tx`. Read once, when the entry is appended. */
  txKey?(data: D): string | number | undefined;
  /**
   * Optional, with `unpack`: keep `data` as columns instead of the object. `pack` returns what the data column keeps
   * (typically a shared, interned value) and writes up to PACKED_NUMBERS numbers and PACKED_REFS references (small
   * integers, shared strings) into `row` (all of them: `row` is reused); `unpack` gives back an equivalent data record
   * when the entry is read (`txKey`: what `txKey` returned).
   */
  pack?(data: D, row: PackedRow): unknown;
  unpack?(kept: unknown, columns: PackedColumns, p: number, txKey: string | number | undefined): D;
}

// ISO form of the last time rendered: a page of entries reads each entry's timestamp twice (the payload and the wire
// entry) and entries of one millisecond sit side by side, so most reads skip the Date (issue #17: log queries)
let lastT = NaN;
let lastIso = '';
function isoOf(t: number): string {
  if (t !== lastT) {
    lastIso = new Date(t).toISOString();
    lastT = t;
  }
  return lastIso;
}

/** An entry as read: made from a row of its source when a reader asks for it. */
class RowEntry implements LogEntry {
  constructor(
    readonly source: string,
    readonly t: number,
    readonly seq: number,
    /** undefined: an entry written with its payload (`data`) */
    readonly kind: CompactKind<unknown> | undefined,
    /** the payload, or the compact record the kind renders */
    readonly data: unknown,
    readonly txKey: string | number | undefined,
  ) {}

  get type(): LogEntry['type'] {
    const kind = this.kind;
    if (kind) return kind.type;
    return typeof this.data === 'string' ? 'text/plain' : 'application/json';
  }

  get timestamp(): string {
    return isoOf(this.t);
  }

  get payload(): unknown {
    const kind = this.kind;
    return kind ? kind.payload(this.data, this) : this.data;
  }

  get payloadJson(): string | undefined {
    const kind = this.kind;
    if (!kind) return JSON.stringify(this.data);
    return kind.payloadJson ? kind.payloadJson(this.data, this) : JSON.stringify(kind.payload(this.data, this));
  }

  get tx(): string | undefined {
    const kind = this.kind;
    return kind ? kind.tx(this.data) : (this.txKey as string | undefined);
  }
}

/** One source's entries: live rows are `start .. end` (end exclusive), ordered by (t, seq). A live view: valid until
 *  the next write to the book (a write may move rows). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
  /** Row i's emulator time. */
  timeAt(i: number): number;
  /** Row i's sequence number. */
  seqAt(i: number): number;
  /** Row i's transaction key (LogEntry.txKey). */
  txKeyAt(i: number): string | number | undefined;
  /** Row i as a LogEntry (a new object each call). */
  entry(i: number): LogEntry;
}

/** Rows of a source's first columns; they double while a source is small, up to one block. */
const FIRST_CAPACITY = 256;
/** Rows per block of a grown source (FIRST_CAPACITY doubled 4 times): a power of two, so a position's block and
 *  offset are a shift and a mask. */
const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

// Kinds by number (the kind column is a byte per row); 0: an entry written with its payload.
const kindList: Array<CompactKind<unknown> | undefined> = [undefined];
const kindIds = new Map<CompactKind<unknown>, number>();
function kindId(kind: CompactKind<unknown>): number {
  let id = kindIds.get(kind);
  if (id === undefined) {
    if (kindList.length > 255) throw new Error('log book: more than 255 compact kinds (kinds must be module-level constants)');
    id = kindList.length;
    kindList.push(kind);
    kindIds.set(kind, id);
  }
  return id;
}

/** A packed reference column not allocated in a block yet (no row of it wrote a value): reads undefined, never written. */
const NO_COLUMN: unknown[] = Object.freeze([]) as unknown as unknown[];

/**
 * `size` rows of every column: times, sequence numbers, kind numbers and packed numbers in typed arrays (off the
 * garbage-collected heap), data / transaction key / packed references in plain arrays of `size` slots, allocated at
 * their size (slots are holes, read as undefined; a fill(undefined) took Array.prototype.fill's slow path on holey
 * elements, ~50 ns per slot). Packed columns are allocated when a row of the block first needs them.
 */
class Block {
  readonly t: Float64Array;
  readonly seq: Float64Array;
  readonly kind: Uint8Array;
  readonly data: unknown[];
  readonly txKeys: Array<string | number | undefined>;
  /** PACKED_NUMBERS columns, when a packing kind wrote a row here */
  num: Float64Array[] | undefined;
  /** PACKED_REFS columns, each NO_COLUMN until a row writes a value to it */
  readonly ref: unknown[][] = [];

  constructor(readonly size: number) {
    this.t = new Float64Array(size);
    this.seq = new Float64Array(size);
    this.kind = new Uint8Array(size);
    this.data = new Array<unknown>(size);
    this.txKeys = new Array<string | number | undefined>(size);
    for (let c = 0; c < PACKED_REFS; c++) this.ref.push(NO_COLUMN);
  }

  numbers(): Float64Array[] {
    let num = this.num;
    if (num === undefined) {
      num = [];
      for (let c = 0; c < PACKED_NUMBERS; c++) num.push(new Float64Array(this.size));
      this.num = num;
    }
    return num;
  }

  /** Reference `v` into column c at offset o (the column allocated for a first value). */
  setRef(c: number, o: number, v: unknown): void {
    const col = this.ref[c]!;
    if (col !== NO_COLUMN) col[o] = v;
    else if (v !== undefined) (this.ref[c] = new Array<unknown>(this.size))[o] = v;
  }

  /** Empty the packed reference columns at offset o (a row without packed values). */
  clearRefs(o: number): void {
    const ref = this.ref;
    for (let c = 0; c < PACKED_REFS; c++) if (ref[c] !== NO_COLUMN) ref[c]![o] = undefined;
  }

  /** Release the references of offset o (a dropped or vacated row). */
  clear(o: number): void {
    this.data[o] = undefined;
    this.txKeys[o] = undefined;
    this.clearRefs(o);
  }
}

/** Row `oa` of block `a` to row `ob` of block `b` (every column). */
function copyRow(a: Block, oa: number, b: Block, ob: number): void {
  b.t[ob] = a.t[oa]!;
  b.seq[ob] = a.seq[oa]!;
  b.kind[ob] = a.kind[oa]!;
  b.data[ob] = a.data[oa];
  b.txKeys[ob] = a.txKeys[oa];
  const num = a.num;
  if (num !== undefined) {
    const to = b.numbers();
    for (let c = 0; c < PACKED_NUMBERS; c++) to[c]![ob] = num[c]![oa]!;
  }
  for (let c = 0; c < PACKED_REFS; c++) b.setRef(c, ob, a.ref[c]![oa]);
}

/**
 * One source's rows in a ring of positions 0 .. cap−1 (issue #17). Row i (start ≤ i < end, with 0 ≤ start < cap and
 * end − start ≤ cap) lives at position i, or i − cap past the end; position p is offset `p & MASK` of block
 * `p >>> BLOCK_BITS`. A small source has one block of `cap` rows (doubled, rows copied, up to BLOCK); a grown one
 * has cap / BLOCK blocks of BLOCK rows, and grows by a block: appended, or when its rows wrap around the end, put
 * where the newest rows meet the oldest (the oldest rows of a block shared by both copied to a block of their own:
 * at most one block's rows). So growth costs at most one block however large the source, every row's memory is
 * written once, and dropping the oldest rows only moves `start`: a store at its cap writes each new row where a
 * dropped one was and makes no garbage per entry.
 */
class SourceLog implements SourceSpan {
  cap = FIRST_CAPACITY;
  blocks: Block[] = [new Block(FIRST_CAPACITY)];
  start = 0;
  end = 0;

  constructor(readonly source: string) {}

  get size(): number {
    return this.end - this.start;
  }

  /** The ring position of span index i. */
  private position(i: number): number {
    return i < this.cap ? i : i - this.cap;
  }

  timeAt(i: number): number {
    const p = this.position(i);
    return this.blocks[p >>> BLOCK_BITS]!.t[p & MASK]!;
  }

  seqAt(i: number): number {
    const p = this.position(i);
    return this.blocks[p >>> BLOCK_BITS]!.seq[p & MASK]!;
  }

  txKeyAt(i: number): string | number | undefined {
    const p = this.position(i);
    return this.blocks[p >>> BLOCK_BITS]!.txKeys[p & MASK];
  }

  entry(i: number): LogEntry {
    const p = this.position(i);
    const b = this.blocks[p >>> BLOCK_BITS]!;
    const o = p & MASK;
    const kind = kindList[b.kind[o]!];
    const kept = b.data[o];
    const txKey = b.txKeys[o];
    // a row a packing kind wrote has its block's number columns (add), so the block is the row's PackedColumns
    const data = kind?.unpack ? kind.unpack(kept, b as PackedColumns, o, txKey) : kept;
    return new RowEntry(this.source, b.t[o]!, b.seq[o]!, kind, data, txKey);
  }

  /** Add a row at span index `at` (the end, unless the clock went backwards); `row`: the packed values, if any.
   *  Returns the row's span index. */
  add(at: number, t: number, seq: number, kind: number, data: unknown, txKey: string | number | undefined, row: PackedRow | undefined): number {
    if (this.end - this.start === this.cap) at = this.grow(at);
    if (at !== this.end) {
      // the clock went backwards: make room at `at`, moving the shorter side (a row is free on either side; in front
      // of the first, once rows were dropped)
      if (this.start > 0 && at - this.start < this.end - at) {
        for (let i = this.start; i < at; i++) this.move(i, i - 1);
        this.start--;
        at--;
      } else {
        for (let i = this.end - 1; i >= at; i--) this.move(i, i + 1);
        this.end++;
      }
    } else this.end++;
    const cap = this.cap;
    const p = this.position(at);
    const b = this.blocks[p >>> BLOCK_BITS]!;
    const o = p & MASK;
    b.t[o] = t;
    b.seq[o] = seq;
    b.kind[o] = kind;
    b.data[o] = data;
    b.txKeys[o] = txKey;
    if (row === undefined) b.clearRefs(o);
    else {
      const num = b.numbers();
      for (let c = 0; c < PACKED_NUMBERS; c++) num[c]![o] = row.num[c]!;
      for (let c = 0; c < PACKED_REFS; c++) b.setRef(c, o, row.ref[c]);
    }
    if (this.start >= cap) {
      this.start -= cap;
      this.end -= cap;
      at -= cap;
    }
    return at;
  }

  /** Row `from` to span index `to` (positions wrap). */
  private move(from: number, to: number): void {
    const a = this.position(from);
    const b = this.position(to);
    copyRow(this.blocks[a >>> BLOCK_BITS]!, a & MASK, this.blocks[b >>> BLOCK_BITS]!, b & MASK);
  }

  /** Room for one more row when every position holds one; returns span index `at` as it is after. */
  private grow(at: number): number {
    const cap = this.cap;
    const start = this.start;
    if (cap < BLOCK) {
      // one small block: twice as long, the rows moved to its front
      const old = this.blocks[0]!;
      const b = new Block(cap * 2);
      for (let k = 0, n = this.end - start; k < n; k++) copyRow(old, (start + k) % cap, b, k);
      this.blocks = [b];
      this.cap = cap * 2;
      this.end -= start;
      this.start = 0;
      return at - start;
    }
    if (start === 0) {
      // rows 0 .. cap−1 in order: one more block after them
      this.blocks.push(new Block(BLOCK));
      this.cap += BLOCK;
      return at;
    }
    // the rows wrap (the newest end at position start−1, the oldest begin at start): new positions go between them,
    // and every span index moves up by what was put in
    const k = start >>> BLOCK_BITS;
    const off = start & MASK;
    let added: number;
    if (off === 0) {
      this.blocks.splice(k, 0, new Block(BLOCK));
      added = BLOCK;
    } else {
      // block k holds the newest rows before `off` and the oldest from it: the oldest go to a block of their own
      const shared = this.blocks[k]!;
      const oldest = new Block(BLOCK);
      for (let o = off; o < BLOCK; o++) {
        copyRow(shared, o, oldest, o);
        shared.clear(o);
      }
      this.blocks.splice(k + 1, 0, new Block(BLOCK), oldest);
      added = 2 * BLOCK;
    }
    this.cap += added;
    this.start += added;
    this.end += added;
    return at + added;
  }

  /** Forget the first `n` live rows (references released at once; numbers are overwritten later). */
  drop(n: number): void {
    const cap = this.cap;
    const blocks = this.blocks;
    for (let i = this.start, to = this.start + n; i < to; i++) {
      const p = this.position(i);
      // (at the cap this runs for one row per append: plain stores, no builtin call per column)
      blocks[p >>> BLOCK_BITS]!.clear(p & MASK);
    }
    this.start += n;
    if (this.start >= cap) {
      this.start -= cap;
      this.end -= cap;
    }
  }
}

/** Default bound of an environment's log store (docs/logs.md; `--log-max-entries`, `LOG_MAX_ENTRIES`, fixture `logs.maxEntries`). */
export const DEFAULT_MAX_ENTRIES = 1_000_000;

/** The span of a source nothing was written to (never written to itself). */
const EMPTY_SPAN: SourceSpan = new SourceLog('');
/** Distinct shared values (header sets, origins) kept before the intern table starts over. */
const INTERN_LIMIT = 4096;

export class LogBook {
  private readonly bySource = new Map<string, SourceLog>();
  /** The same logs as an array: at the cap every append looks for the oldest row over all of them (no iterator). */
  private logs: SourceLog[] = [];
  private seq = 0;
  private size = 0;
  private readonly listeners = new Set<(e: LogEntry) => void>();
  private readonly interned = new Map<string, unknown>();
  /** The packed values of the row being appended (reused: nothing allocated per append). */
  private readonly row: PackedRow = { num: new Float64Array(PACKED_NUMBERS), ref: new Array<unknown>(PACKED_REFS).fill(undefined) };
  /** Emulator time of the last retention prune (the logs area prunes at most once an emulator minute). */
  prunedAt: number | undefined;
  /** The interned header set (with its names in order) and request shape (method, URL, header set) of the last access
   *  record: a run of requests with the same headers or URL (an SDK polling, a load test) reuses them without building
   *  an intern key (aic/logs/access.ts). */
  lastAccess: { headers: Readonly<Record<string, string>>; names: readonly string[]; shape: unknown } | undefined;
  /** Shared request shapes by URL (aic/logs/access.ts), bounded like the intern table; cleared with the book. */
  readonly shapes = new Map<string, unknown>();

  /** The bound, read on every append (so a re-seed that changes it applies at once); the logs area sets it. */
  maxEntries: () => number;

  constructor(maxEntries: number | (() => number) = DEFAULT_MAX_ENTRIES) {
    this.maxEntries = typeof maxEntries === 'number' ? () => maxEntries : maxEntries;
  }

  append(source: string, payload: unknown, t: number): void {
    const tx = payload !== null && typeof payload === 'object' ? (payload as { transactionId?: unknown }).transactionId : undefined;
    this.insert(source, t, 0, payload, typeof tx === 'string' ? tx : undefined, undefined);
  }

  /** Append an entry kept as `data` and rendered by `kind` when read (`data` must not change afterwards in ways the
   *  rendering of this entry reads; a packing kind copies what it needs now). */
  appendCompact<D>(source: string, t: number, kind: CompactKind<D>, data: D): void {
    const txKey = kind.txKey ? kind.txKey(data) : kind.tx(data);
    const k = kindId(kind as CompactKind<unknown>);
    if (kind.pack && kind.unpack) {
      const row = this.row;
      const kept = kind.pack(data, row);
      this.insert(source, t, k, kept, txKey, row);
    } else this.insert(source, t, k, data, txKey, undefined);
  }

  /**
   * A shared immutable value for `key` (e.g. a request's loggable header set), so entries of identical requests
   * reference one object. Bounded; cleared with the book.
   */
  intern<T>(key: string, make: () => T): T {
    let v = this.interned.get(key) as T | undefined;
    if (v === undefined) {
      if (this.interned.size >= INTERN_LIMIT) this.interned.clear();
      v = make();
      this.interned.set(key, v);
    }
    return v;
  }

  /** Keep `shape` as the shared request shape of `url` (bounded like the intern table). */
  keepShape(url: string, shape: unknown): void {
    if (this.shapes.size >= INTERN_LIMIT && !this.shapes.has(url)) this.shapes.clear();
    this.shapes.set(url, shape);
  }

  private insert(source: string, t: number, kind: number, data: unknown, txKey: string | number | undefined, row: PackedRow | undefined): void {
    let log = this.bySource.get(source);
    if (!log) {
      this.bySource.set(source, (log = new SourceLog(source)));
      this.logs.push(log);
    }
    const end = log.end;
    // entries almost always arrive in time order; insert in place when the clock went backwards
    const at = end === log.start || log.timeAt(end - 1) <= t ? end : upperBound(log, t);
    const seq = ++this.seq;
    const i = log.add(at, t, seq, kind, data, txKey, row);
    // listeners (a console watching changes) get the entry as written, even when the cap drops it at once
    const entry = this.listeners.size > 0 ? log.entry(i) : undefined;
    this.size++;
    const max = this.maxEntries();
    while (this.size > max) this.dropOldest();
    if (entry) for (const l of this.listeners) l(entry);
  }

  /** Drop the environment's oldest entry (smallest (t, seq) over all sources). */
  private dropOldest(): void {
    let oldest: SourceLog | undefined;
    let ot = 0;
    let os = 0;
    const logs = this.logs;
    for (let k = 0; k < logs.length; k++) {
      const log = logs[k]!;
      const s = log.start;
      if (s === log.end) continue;
      const t = log.timeAt(s);
      const q = log.seqAt(s);
      if (!oldest || t < ot || (t === ot && q < os)) {
        oldest = log;
        ot = t;
        os = q;
      }
    }
    if (!oldest) {
      this.size = 0;
      return;
    }
    oldest.drop(1);
    this.size--;
  }

  onAppend(listener: (e: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sources(): string[] {
    return [...this.bySource.keys()];
  }

  /** The live rows of one source in (t, seq) order, without copying (valid until the next write). */
  span(source: string): SourceSpan {
    return this.bySource.get(source) ?? EMPTY_SPAN;
  }

  /** One source's entries in (t, seq) order, each made for this call (for tests and tools; queries use span()). */
  view(source: string): LogEntry[] {
    const log = this.bySource.get(source);
    const out: LogEntry[] = [];
    if (log) for (let i = log.start, n = log.end; i < n; i++) out.push(log.entry(i));
    return out;
  }

  /** The sequence number of the newest entry appended (0 when none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Entries of one source with begin <= t < end, in time order (made for this call). */
  range(source: string, begin: number, end: number): LogEntry[] {
    const log = this.bySource.get(source);
    const out: LogEntry[] = [];
    if (!log) return out;
    for (let i = lowerBound(log, begin), n = lowerBound(log, end); i < n; i++) out.push(log.entry(i));
    return out;
  }

  /** Drop entries older than `before` (retention). */
  prune(before: number): void {
    for (const log of this.bySource.values()) {
      const cut = lowerBound(log, before) - log.start;
      if (cut > 0) {
        log.drop(cut);
        this.size -= cut;
      }
    }
  }

  count(): number {
    return this.size;
  }

  clear(): void {
    this.bySource.clear();
    this.logs = [];
    this.interned.clear();
    this.shapes.clear();
    this.lastAccess = undefined;
    this.size = 0;
    this.prunedAt = undefined;
  }

  /** First row index (in span(source)) whose (t, seq) comes after the position (t, seq); binary search. */
  indexAfter(source: string, t: number, seq: number): number {
    const span = this.span(source);
    // within one ms entries are in seq order: binary search the run of equal t on seq
    let lo = lowerBound(span, t);
    let hi = upperBound(span, t);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (span.seqAt(mid) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First row ≥ `from` (default: the span's first) with t >= time; binary search. */
export function lowerBound(span: SourceSpan, time: number, from = span.start): number {
  let lo = from;
  let hi = span.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (span.timeAt(mid) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First row ≥ `from` (default: the span's first) with t > time. */
export function upperBound(span: SourceSpan, time: number, from = span.start): number {
  let lo = from;
  let hi = span.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (span.timeAt(mid) <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
