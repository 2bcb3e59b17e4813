// Per-environment log storage, indexed by source and time (DESIGN.md "Hot paths stay cheap"):
// one time-ordered array per source, so a query or tail binary-searches its window instead of scanning.
// Every area writes here through Environment.log(); the logs area (src/aic/logs) serves it.

export interface LogEntry {
  source: string;
  /** Emulator time in ms, the index key. */
  t: number;
  timestamp: string;
  type: 'application/json' | 'text/plain';
  payload: unknown;
  /** Monotonic sequence number, breaks ties between entries of the same ms (used by paging cookies). */
  seq: number;
}

const EMPTY: readonly LogEntry[] = Object.freeze([]);

export class LogBook {
  private readonly bySource = new Map<string, LogEntry[]>();
  private seq = 0;
  private readonly listeners = new Set<(e: LogEntry) => void>();

  append(source: string, payload: unknown, t: number): LogEntry {
    const entry: LogEntry = {
      source,
      t,
      timestamp: new Date(t).toISOString(),
      type: typeof payload === 'string' ? 'text/plain' : 'application/json',
      payload,
      seq: ++this.seq,
    };
    let list = this.bySource.get(source);
    if (!list) this.bySource.set(source, (list = []));
    // entries almost always arrive in time order; insert in place when the clock went backwards
    if (list.length === 0 || list[list.length - 1]!.t <= t) list.push(entry);
    else list.splice(upperBound(list, t), 0, entry);
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
