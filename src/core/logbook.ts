// Per-environment log storage, indexed by source and time (DESIGN.md "Hot paths stay cheap"): one time-ordered run of
// rows per source, so a query or tail binary-searches its window instead of scanning. Bounded: past `maxEntries` the
// oldest entry of the environment (any source) is dropped first, so a load test or a long training day cannot grow it
// without end (docs/logs.md "What the emulator keeps"). Every area writes here through Environment.log(); the logs
// area (src/aic/logs) serves it.
//
// Storage is columnar (issue #17): a source keeps parallel arrays (time, sequence number, kind, data, transaction key,
// and for kinds that pack their record, a few value columns), so a kept access entry is a handful of array slots —
// numbers and references to shared, interned values — rather than objects of its own that every garbage collection
// has to trace and the young generation has to copy. LogEntry objects are made only when entries are read.

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

/** Value columns a packing kind may use (see CompactKind.pack). */
export const PACKED_COLUMNS = 5;

/**
 * How a compact entry becomes its payload. Kinds are module-level constants, so a stored entry holds only its small
 * data record and a shared kind, never a closure over the request that wrote it.
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
   * (typically a shared, interned value) and writes up to PACKED_COLUMNS values (small integers, shared strings) into
   * `out` (all of them: `out` is reused); `unpack` gives back an equivalent data record when the entry is read (`txKey`:
   * what `txKey` returned).
   */
  pack?(data: D, out: unknown[]): unknown;
  unpack?(kept: unknown, columns: readonly (readonly unknown[])[], i: number, txKey: string | number | undefined): D;
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
 *  the next write to the book (the columns may be longer than `end`). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
  /** The time column (row i's emulator time is t[i]). */
  readonly t: ArrayLike<number>;
  /** The sequence-number column. */
  readonly seq: ArrayLike<number>;
  /** The transaction key column (LogEntry.txKey of row i). */
  readonly txKeys: ArrayLike<string | number | undefined>;
  /** Row i as a LogEntry (a new object each call). */
  entry(i: number): LogEntry;
}

const NO_ROW: unknown[] = [];
const FIRST_CAPACITY = 256;

function grownNumbers(col: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(n);
  out.set(col);
  return out;
}

class SourceLog implements SourceSpan {
  // times and sequence numbers unboxed in preallocated typed arrays; the reference columns are plain arrays at least
  // `end` long (a row past their length is stored at their length, which V8 grows itself; slots past `end` are
  // undefined)
  t = new Float64Array(FIRST_CAPACITY);
  seq = new Float64Array(FIRST_CAPACITY);
  kind: Array<CompactKind<unknown> | undefined> = [];
  data: unknown[] = [];
  txKeys: Array<string | number | undefined> = [];
  /** The value columns of packing kinds; allocated when one first writes to this source. */
  packed: unknown[][] | undefined;
  start = 0;
  end = 0;

  constructor(readonly source: string) {}

  get size(): number {
    return this.end - this.start;
  }

  entry(i: number): LogEntry {
    const kind = this.kind[i];
    const kept = this.data[i];
    const txKey = this.txKeys[i];
    const data = kind?.unpack ? kind.unpack(kept, this.packed ?? (NO_ROW as unknown[][]), i, txKey) : kept;
    return new RowEntry(this.source, this.t[i]!, this.seq[i]!, kind, data, txKey);
  }

  /** Add a row at `at` (the end, unless the clock went backwards). `values` are the packed columns' values or NO_ROW. */
  add(at: number, t: number, seq: number, kind: CompactKind<unknown> | undefined, data: unknown, txKey: string | number | undefined, values: unknown[]): void {
    const end = this.end;
    if (values !== NO_ROW && !this.packed) {
      this.packed = [];
      // (pushed, not `new Array(end)`: a large preallocated array would start in V8's slow dictionary mode)
      for (let c = 0; c < PACKED_COLUMNS; c++) {
        const col: unknown[] = [];
        for (let i = 0; i < end; i++) col.push(undefined);
        this.packed.push(col);
      }
    }
    if (end === this.t.length) {
      const n = Math.floor(end * 1.5);
      this.t = grownNumbers(this.t, n);
      this.seq = grownNumbers(this.seq, n);
    }
    const packed = this.packed;
    if (at !== end) {
      // the clock went backwards: make room at `at`
      this.t.copyWithin(at + 1, at, end);
      this.seq.copyWithin(at + 1, at, end);
      for (const col of this.refColumns()) {
        if (col.length === end) col.push(undefined);
        col.copyWithin(at + 1, at, end);
      }
    }
    this.t[at] = t;
    this.seq[at] = seq;
    this.kind[at] = kind;
    this.data[at] = data;
    this.txKeys[at] = txKey;
    if (packed) {
      if (values === NO_ROW) for (let c = 0; c < PACKED_COLUMNS; c++) packed[c]![at] = undefined;
      else for (let c = 0; c < PACKED_COLUMNS; c++) packed[c]![at] = values[c];
    }
    this.end = end + 1;
  }

  /** Forget the first `n` live rows; the columns are compacted in place once half of them is dead. */
  drop(n: number): void {
    const from = this.start;
    const to = from + n;
    // references are released at once (payloads, records); numbers are overwritten later
    const kind = this.kind;
    const data = this.data;
    const txKeys = this.txKeys;
    for (let i = from; i < to; i++) {
      kind[i] = undefined;
      data[i] = undefined;
      txKeys[i] = undefined;
    }
    const packed = this.packed;
    if (packed) {
      // (at the cap this runs for one row per append: plain stores, no builtin call per column)
      for (let c = 0; c < PACKED_COLUMNS; c++) {
        const col = packed[c]!;
        for (let i = from; i < to; i++) col[i] = undefined;
      }
    }
    this.start = to;
    const end = this.end;
    if (to > 1024 && to * 2 > end) {
      // move the live rows to the front (reference slots left behind are cleared, numbers are overwritten)
      this.t.copyWithin(0, to, end);
      this.seq.copyWithin(0, to, end);
      for (const col of this.refColumns()) {
        col.copyWithin(0, to, end);
        // cleared, not cut: a shorter length would let V8 shrink the backing store, to grow it again right after
        for (let i = end - to; i < end; i++) col[i] = undefined;
      }
      this.start = 0;
      this.end = end - to;
    }
  }

  private refColumns(): unknown[][] {
    const cols: unknown[][] = [this.kind, this.data, this.txKeys];
    if (this.packed) cols.push(...this.packed);
    return cols;
  }
}

/** Default bound of an environment's log store (docs/logs.md; `--log-max-entries`, `LOG_MAX_ENTRIES`, fixture `logs.maxEntries`). */
export const DEFAULT_MAX_ENTRIES = 1_000_000;

const EMPTY_SPAN: SourceSpan = Object.freeze({
  start: 0,
  end: 0,
  t: new Float64Array(0),
  seq: new Float64Array(0),
  txKeys: Object.freeze([]) as readonly undefined[],
  entry(): LogEntry {
    throw new RangeError('no entries');
  },
});
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
  private readonly row: unknown[] = new Array<unknown>(PACKED_COLUMNS).fill(undefined);
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
    this.insert(source, t, undefined, payload, typeof tx === 'string' ? tx : undefined, NO_ROW);
  }

  /** Append an entry kept as `data` and rendered by `kind` when read (`data` must not change afterwards in ways the
   *  rendering of this entry reads; a packing kind copies what it needs now). */
  appendCompact<D>(source: string, t: number, kind: CompactKind<D>, data: D): void {
    const txKey = kind.txKey ? kind.txKey(data) : kind.tx(data);
    const k = kind as CompactKind<unknown>;
    if (kind.pack && kind.unpack) {
      const row = this.row;
      const kept = kind.pack(data, row);
      this.insert(source, t, k, kept, txKey, row);
    } else this.insert(source, t, k, data, txKey, NO_ROW);
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

  private insert(source: string, t: number, kind: CompactKind<unknown> | undefined, data: unknown, txKey: string | number | undefined, values: unknown[]): void {
    let log = this.bySource.get(source);
    if (!log) {
      this.bySource.set(source, (log = new SourceLog(source)));
      this.logs.push(log);
    }
    const end = log.end;
    // entries almost always arrive in time order; insert in place when the clock went backwards
    const at = end === log.start || log.t[end - 1]! <= t ? end : upperBound(log, t);
    const seq = ++this.seq;
    log.add(at, t, seq, kind, data, txKey, values);
    // listeners (a console watching changes) get the entry as written, even when the cap drops it at once
    const entry = this.listeners.size > 0 ? log.entry(at) : undefined;
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
      const t = log.t[s]!;
      const q = log.seq[s]!;
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
    const seqs = span.seq;
    // within one ms entries are in seq order: binary search the run of equal t on seq
    let lo = lowerBound(span, t);
    let hi = upperBound(span, t);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid]! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First row ≥ `from` (default: the span's first) with t >= time; binary search. */
export function lowerBound(span: SourceSpan, time: number, from = span.start): number {
  const times = span.t;
  let lo = from;
  let hi = span.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First row ≥ `from` (default: the span's first) with t > time. */
export function upperBound(span: SourceSpan, time: number, from = span.start): number {
  const times = span.t;
  let lo = from;
  let hi = span.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
