// Per-environment log storage, indexed by source and time (DESIGN.md "Hot paths stay cheap"): one time-ordered array
// per source, so a query or tail binary-searches its window instead of scanning. Bounded: past `maxEntries` the oldest
// entry of the environment (any source) is dropped first, so a load test or a long training day cannot grow it
// without end (docs/logs.md "What the emulator keeps"). Every area writes here through Environment.log(); the logs
// area (src/aic/logs) serves it.

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
  /** Optional: `tx` as kept (see LogEntry.txKey); without it, `tx`. */
  txKey?(data: D): string | number | undefined;
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

/** An entry written with its payload (audit, configuration, authentication entries, appended test data). */
class PayloadEntry implements LogEntry {
  constructor(
    readonly source: string,
    readonly t: number,
    readonly seq: number,
    readonly payload: unknown,
    readonly tx: string | undefined,
  ) {}

  get type(): LogEntry['type'] {
    return typeof this.payload === 'string' ? 'text/plain' : 'application/json';
  }

  get timestamp(): string {
    return isoOf(this.t);
  }

  get payloadJson(): string | undefined {
    return JSON.stringify(this.payload);
  }

  get txKey(): string | undefined {
    return this.tx;
  }
}

/** An entry stored as a compact record and materialized on read (the access entry of every request). */
class CompactEntry<D> implements LogEntry {
  constructor(
    readonly source: string,
    readonly t: number,
    readonly seq: number,
    private readonly data: D,
    private readonly kind: CompactKind<D>,
  ) {}

  get type(): LogEntry['type'] {
    return this.kind.type;
  }

  get timestamp(): string {
    return isoOf(this.t);
  }

  get payload(): unknown {
    return this.kind.payload(this.data, this);
  }

  get payloadJson(): string | undefined {
    const kind = this.kind;
    return kind.payloadJson ? kind.payloadJson(this.data, this) : JSON.stringify(kind.payload(this.data, this));
  }

  get tx(): string | undefined {
    return this.kind.tx(this.data);
  }

  get txKey(): string | number | undefined {
    const kind = this.kind;
    return kind.txKey ? kind.txKey(this.data) : kind.tx(this.data);
  }
}

/** One source's entries: live entries are `list[start .. list.length)`, ordered by (t, seq). */
export interface SourceSpan {
  readonly list: readonly LogEntry[];
  readonly start: number;
}

class SourceLog implements SourceSpan {
  list: LogEntry[] = [];
  start = 0;

  get size(): number {
    return this.list.length - this.start;
  }

  /** Forget the first `n` live entries; the array is compacted in place once half of it is dead. */
  drop(n: number): void {
    const list = this.list as Array<LogEntry | undefined>;
    for (let i = this.start; i < this.start + n; i++) list[i] = undefined;
    this.start += n;
    if (this.start > 1024 && this.start * 2 > list.length) {
      list.copyWithin(0, this.start);
      list.length -= this.start;
      this.start = 0;
    }
  }
}

/** Default bound of an environment's log store (docs/logs.md; `--log-max-entries`, `LOG_MAX_ENTRIES`, fixture `logs.maxEntries`). */
export const DEFAULT_MAX_ENTRIES = 1_000_000;

const NO_ENTRIES: readonly LogEntry[] = Object.freeze([]);
const EMPTY_SPAN: SourceSpan = Object.freeze({ list: NO_ENTRIES, start: 0 });
/** Distinct shared values (header sets, origins) kept before the intern table starts over. */
const INTERN_LIMIT = 4096;

export class LogBook {
  private readonly bySource = new Map<string, SourceLog>();
  private seq = 0;
  private size = 0;
  private readonly listeners = new Set<(e: LogEntry) => void>();
  private readonly interned = new Map<string, unknown>();
  /** Emulator time of the last retention prune (the logs area prunes at most once an emulator minute). */
  prunedAt: number | undefined;
  /** The interned header set (with its names in order) and URL of the last access record: a run of requests with the
   *  same headers or URL (an SDK polling, a load test) reuses them without building an intern key (aic/logs/access.ts). */
  lastAccess: { headers: Readonly<Record<string, string>>; names: readonly string[]; url: string } | undefined;

  /** The bound, read on every append (so a re-seed that changes it applies at once); the logs area sets it. */
  maxEntries: () => number;

  constructor(maxEntries: number | (() => number) = DEFAULT_MAX_ENTRIES) {
    this.maxEntries = typeof maxEntries === 'number' ? () => maxEntries : maxEntries;
  }

  append(source: string, payload: unknown, t: number): LogEntry {
    const tx = payload !== null && typeof payload === 'object' ? (payload as { transactionId?: unknown }).transactionId : undefined;
    return this.insert(new PayloadEntry(source, t, ++this.seq, payload, typeof tx === 'string' ? tx : undefined));
  }

  /** Append an entry kept as `data` and rendered by `kind` when read (`data` must not change afterwards in ways the
   *  rendering of this entry reads). */
  appendCompact<D>(source: string, t: number, kind: CompactKind<D>, data: D): LogEntry {
    return this.insert(new CompactEntry(source, t, ++this.seq, data, kind));
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

  private insert(entry: LogEntry): LogEntry {
    const t = entry.t;
    let log = this.bySource.get(entry.source);
    if (!log) this.bySource.set(entry.source, (log = new SourceLog()));
    const list = log.list;
    // entries almost always arrive in time order; insert in place when the clock went backwards
    if (list.length === log.start || list[list.length - 1]!.t <= t) list.push(entry);
    else list.splice(upperBound(list, t, log.start), 0, entry);
    this.size++;
    const max = this.maxEntries();
    while (this.size > max) this.dropOldest();
    for (const l of this.listeners) l(entry);
    return entry;
  }

  /** Drop the environment's oldest entry (smallest (t, seq) over all sources). */
  private dropOldest(): void {
    let oldest: SourceLog | undefined;
    let ot = 0;
    let os = 0;
    for (const log of this.bySource.values()) {
      if (log.size === 0) continue;
      const e = log.list[log.start]!;
      if (!oldest || e.t < ot || (e.t === ot && e.seq < os)) {
        oldest = log;
        ot = e.t;
        os = e.seq;
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

  /** The live entries of one source in (t, seq) order, without copying (readers must not mutate). */
  span(source: string): SourceSpan {
    return this.bySource.get(source) ?? EMPTY_SPAN;
  }

  /** A copy of one source's entries in (t, seq) order (for tests and tools; queries use span()). */
  view(source: string): LogEntry[] {
    const log = this.bySource.get(source);
    return log ? log.list.slice(log.start) : [];
  }

  /** The sequence number of the newest entry appended (0 when none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Entries of one source with begin <= t < end, in time order (a copy). */
  range(source: string, begin: number, end: number): LogEntry[] {
    const log = this.bySource.get(source);
    if (!log) return [];
    return log.list.slice(lowerBound(log.list, begin, log.start), lowerBound(log.list, end, log.start));
  }

  /** Drop entries older than `before` (retention). */
  prune(before: number): void {
    for (const log of this.bySource.values()) {
      const cut = lowerBound(log.list, before, log.start) - log.start;
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
    this.interned.clear();
    this.lastAccess = undefined;
    this.size = 0;
    this.prunedAt = undefined;
  }

  /** First index (in span(source).list) whose (t, seq) comes after the position (t, seq); binary search. */
  indexAfter(source: string, t: number, seq: number): number {
    const { list, start } = this.span(source);
    // within one ms entries are in seq order: binary search the run of equal t on seq
    let lo = lowerBound(list, t, start);
    let hi = upperBound(list, t, start);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First index ≥ `from` with entry.t >= t. */
export function lowerBound(list: readonly LogEntry[], t: number, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index ≥ `from` with entry.t > t. */
export function upperBound(list: readonly LogEntry[], t: number, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
