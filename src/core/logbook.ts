// Per-environment log storage, indexed by source and time (DESIGN.md "Hot paths stay cheap"):
// one time-ordered array per source, so a query or tail binary-searches its window instead of scanning.
// Every area writes here through Environment.log(); the logs area (src/aic/logs) serves it.

export interface LogEntry {
  readonly source: string;
  /** Emulator time in ms, the index key. */
  readonly t: number;
  readonly timestamp: string;
  readonly type: 'application/json' | 'text/plain';
  readonly payload: unknown;
  /** Monotonic sequence number, breaks ties between entries of the same ms (used by paging cookies). */
  readonly seq: number;
  /** The payload's transactionId, kept beside it so transaction queries never touch payloads. */
  readonly tx: string | undefined;
}

const EMPTY: readonly LogEntry[] = Object.freeze([]);

/**
 * A stored entry. Its ISO timestamp and (for appendLazy) its payload are built on first read: most entries are
 * written on every request and never read, so the request path only pays for what the index needs.
 */
class StoredEntry implements LogEntry {
  private ts: string | undefined;
  private value: unknown;
  private build: (() => unknown) | undefined;

  constructor(
    readonly source: string,
    readonly t: number,
    readonly type: 'application/json' | 'text/plain',
    payload: unknown,
    build: (() => unknown) | undefined,
    readonly seq: number,
    readonly tx: string | undefined,
  ) {
    this.value = payload;
    this.build = build;
  }

  get timestamp(): string {
    return (this.ts ??= new Date(this.t).toISOString());
  }

  get payload(): unknown {
    if (this.build) {
      this.value = this.build();
      this.build = undefined;
    }
    return this.value;
  }
}

/** Memory guard for long-running emulators: past this many entries a source drops its oldest tenth. */
export const MAX_ENTRIES_PER_SOURCE = 2_000_000;

export class LogBook {
  private readonly bySource = new Map<string, LogEntry[]>();
  private seq = 0;
  private readonly listeners = new Set<(e: LogEntry) => void>();

  constructor(private readonly maxPerSource = MAX_ENTRIES_PER_SOURCE) {}

  append(source: string, payload: unknown, t: number): LogEntry {
    const tx = payload !== null && typeof payload === 'object' ? (payload as { transactionId?: unknown }).transactionId : undefined;
    return this.insert(new StoredEntry(source, t, typeof payload === 'string' ? 'text/plain' : 'application/json', payload, undefined, ++this.seq, typeof tx === 'string' ? tx : undefined));
  }

  /** Append an entry whose payload is built on first read (`build` must only capture immutable data); `tx` is the
   *  transactionId the payload will carry. */
  appendLazy(source: string, t: number, type: LogEntry['type'], build: () => unknown, tx?: string): LogEntry {
    return this.insert(new StoredEntry(source, t, type, undefined, build, ++this.seq, tx));
  }

  private insert(entry: LogEntry): LogEntry {
    const t = entry.t;
    let list = this.bySource.get(entry.source);
    if (!list) this.bySource.set(entry.source, (list = []));
    // entries almost always arrive in time order; insert in place when the clock went backwards
    if (list.length === 0 || list[list.length - 1]!.t <= t) list.push(entry);
    else list.splice(upperBound(list, t), 0, entry);
    if (list.length > this.maxPerSource) this.bySource.set(entry.source, list.slice(Math.floor(this.maxPerSource / 10)));
    for (const l of this.listeners) l(entry);
    return entry;
  }

  onAppend(listener: (e: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sources(): string[] {
    return [...this.bySource.keys()];
  }

  /** The time-ordered entries of one source, ordered by (t, seq) (a live view: callers must not mutate). */
  view(source: string): readonly LogEntry[] {
    return this.bySource.get(source) ?? EMPTY;
  }

  /** The sequence number of the newest entry appended (0 when none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Entries of one source with begin <= t < end, in time order (a view: callers must not mutate). */
  range(source: string, begin: number, end: number): LogEntry[] {
    const list = this.bySource.get(source);
    if (!list) return [];
    return list.slice(lowerBound(list, begin), lowerBound(list, end));
  }

  /** Drop entries older than `before` (retention). */
  prune(before: number): void {
    for (const [source, list] of this.bySource) {
      const cut = lowerBound(list, before);
      if (cut > 0) this.bySource.set(source, list.slice(cut));
    }
  }

  count(): number {
    let n = 0;
    for (const list of this.bySource.values()) n += list.length;
    return n;
  }

  clear(): void {
    this.bySource.clear();
  }

  /** First index of `source` whose (t, seq) comes after the position (t, seq); binary search. */
  indexAfter(source: string, t: number, seq: number): number {
    const list = this.view(source);
    // within one ms entries are in seq order: binary search the run of equal t on seq
    let lo = lowerBound(list, t);
    let hi = upperBound(list, t);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First index with entry.t >= t. */
export function lowerBound(list: readonly LogEntry[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with entry.t > t. */
export function upperBound(list: readonly LogEntry[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
