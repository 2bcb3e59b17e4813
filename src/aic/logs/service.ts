// Monitoring logs, the reading side: API-key auth, the shared rate limit, sources, paging cookies, and queries and tail
// over the per-source time index (SPEC §4; S4 L4800–6520). Access entries are written by access.ts, background
// traffic by traffic.ts, retention and the entry cap are in state.ts.
import type { Environment } from '../../environment.js';
import { FixedWindowLimiter, type RateDecision } from '../../core/rateLimit.js';
import { lowerBound, upperBound, type LogBook, type LogEntry, type SourceSpan } from '../../core/logbook.js';
import { matchesFilter, type QueryFilter } from '../../core/queryFilter.js';
import { transactionNumber } from '../../core/ids.js';
import { auditAuthentication, type AuditContext, type AuthenticationEvent } from '../../core/audit.js';
import { FAMILIES, MAX_TAIL_LINES, sourceList, TAIL_FIRST_WINDOW_MS } from './model.js';
import { logsState, maybePrune, retentionStart } from './state.js';
import { fillBackground } from './traffic.js';

export { logsState } from './state.js';

// ---------------------------------------------------------------------------------------------- API keys

interface LogApiKeyLike {
  id: string;
  secret: string;
}

/** S4 L13918–13990: x-api-key + x-api-secret must name a live log API key of this environment (a deleted key fails at once). */
export function checkApiKey(env: Environment, key: string | undefined, secret: string | undefined): boolean {
  if (!key || !secret) return false;
  const keys = env.slice<{ logApiKeys?: LogApiKeyLike[] } | undefined>('credentials')?.logApiKeys ?? [];
  return keys.some((k) => k.id === key && k.secret === secret);
}

// ---------------------------------------------------------------------------------------------- rate limit

/** The environment's window (env.memory: a reset or re-seed starts a fresh one). */
function limiter(env: Environment): FixedWindowLimiter {
  return env.memory('logs.rateLimit', () => new FixedWindowLimiter(() => logsState(env).rateLimit, 60_000, () => env.clock.now()));
}

/** One request against the environment's shared /monitoring/logs + /tail quota (S4 L6473–6510: 60 a minute, per environment). */
export function rateHit(env: Environment): RateDecision {
  return limiter(env).hit('logs');
}

/** Forget the current window (control plane). */
export function resetRateLimit(env: Environment): void {
  limiter(env).reset();
}

// ---------------------------------------------------------------------------------------------- sources

/** Expand a comma-separated source list: `*-everything` becomes its family; unknown names are reported. */
export function expandSources(env: Environment, csv: string): { sources: string[] } | { unknown: string } {
  const known = new Set(sourceList(logsState(env).wsFederation));
  const out = new Set<string>();
  for (const raw of csv.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    if (!known.has(s)) return { unknown: s };
    for (const member of FAMILIES[s] ?? [s]) out.add(member);
  }
  return { sources: [...out] };
}

// ---------------------------------------------------------------------------------------------- cookies

export interface Position {
  t: number;
  s: number;
}

export function encodeCookie(p: Position): string {
  return Buffer.from(JSON.stringify({ t: p.t, s: p.s })).toString('base64url');
}

export function decodeCookie(cookie: string): Position | undefined {
  try {
    const v = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as Position;
    if (Number.isFinite(v?.t) && Number.isInteger(v?.s)) return { t: v.t, s: v.s };
  } catch {
    /* fallthrough */
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- reading

/**
 * Visit the rows of several sources in one (t, seq) order, within [begin, end], strictly after `after`
 * (binary-searched start, k-way merge, no copies; rows are made into entries only by the visitor). `visit` returns
 * false to stop.
 */
function scan(book: LogBook, sources: string[], begin: number, end: number, after: Position | undefined, visit: (span: SourceSpan, i: number) => boolean): void {
  const spans = sources.map((s) => book.span(s));
  const idx = spans.map((s, i) => {
    const from = lowerBound(s, begin);
    return after ? Math.max(from, book.indexAfter(sources[i]!, after.t, after.s)) : from;
  });
  const stop = spans.map((s) => upperBound(s, end));
  if (spans.length === 1) {
    // one source: a plain loop over its slice of the index
    const s = spans[0]!;
    for (let i = idx[0]!, n = stop[0]!; i < n; i++) if (!visit(s, i)) return;
    return;
  }
  for (;;) {
    let best = -1;
    let bt = 0;
    let bs = 0;
    for (let k = 0; k < spans.length; k++) {
      const i = idx[k]!;
      if (i >= stop[k]!) continue;
      const s = spans[k]!;
      const t = s.timeAt(i);
      const q = s.seqAt(i);
      if (best < 0 || t < bt || (t === bt && q < bs)) {
        best = k;
        bt = t;
        bs = q;
      }
    }
    if (best < 0) return;
    if (!visit(spans[best]!, idx[best]!++)) return;
  }
}

/** The wire form of an entry (S4 "Retrieve log entries": payload, timestamp, type, source). */
export function wireEntry(e: LogEntry): { payload: unknown; timestamp: string; type: LogEntry['type']; source: string } {
  return { payload: e.payload, timestamp: e.timestamp, type: e.type, source: e.source };
}

/** `JSON.stringify(wireEntry(e))`, with the payload's JSON from the entry (a compact entry writes it without building
 *  the payload; issue #17: log queries). */
export function wireEntryJson(e: LogEntry): string {
  const payload = e.payloadJson;
  // JSON.stringify leaves out a key whose value is undefined
  return `{${payload === undefined ? '' : `"payload":${payload},`}"timestamp":"${e.timestamp}","type":"${e.type}","source":${JSON.stringify(e.source)}}`;
}

function txBase(v: string): string {
  const i = v.indexOf('/');
  return i < 0 ? v : v.slice(0, i);
}

/** The entry of a row when it matches (made once: kept by the page, or read by the filter), else undefined; without
 *  criteria, undefined (every row matches). */
function matcher(txId: string | undefined, filter: QueryFilter | undefined): ((span: SourceSpan, i: number) => LogEntry | undefined) | undefined {
  if (txId === undefined && filter === undefined) return undefined;
  const tx = txId ? txBase(txId) : undefined;
  // an id the emulator made is kept as its number (access records): compare numbers, build no id per entry
  const txNumber = tx !== undefined ? transactionNumber(tx) : undefined;
  return (span, i) => {
    if (tx !== undefined) {
      const v = span.txKeyAt(i);
      if (typeof v === 'number') {
        if (v !== txNumber) return undefined;
      }
      // the part before '/' equals tx, compared in place (no substring per entry: this scans whole windows)
      else if (v === undefined || !v.startsWith(tx) || (v.length !== tx.length && v.charCodeAt(tx.length) !== 47)) return undefined;
    }
    const e = span.entry(i);
    return !filter || matchesFilter(filter, wireEntry(e)) ? e : undefined;
  };
}

export interface QueryParams {
  sources: string[];
  begin: number;
  end: number;
  transactionId?: string;
  filter?: QueryFilter;
  pageSize: number;
  after?: Position;
}

/** One page of a query; `next` is the position of the page's last entry when more entries match, else null. */
export function queryLogs(env: Environment, p: QueryParams): { entries: LogEntry[]; next: Position | null } {
  prepare(env);
  const begin = Math.max(p.begin, retentionStart(env));
  const match = matcher(p.transactionId, p.filter);
  const entries: LogEntry[] = [];
  let next: Position | null = null;
  scan(env.logbook, p.sources, begin, p.end, p.after, (span, i) => {
    const e = match !== undefined ? match(span, i) : entries.length < p.pageSize ? span.entry(i) : null;
    if (e === undefined) return true;
    if (entries.length === p.pageSize) {
      const last = entries[entries.length - 1]!;
      next = { t: last.t, s: last.seq };
      return false;
    }
    entries.push(e!);
    return true;
  });
  return { entries, next };
}

/**
 * Tail (S4 "Tail logs"): the first call returns the last 15 s; with the cookie, what was written after the previous
 * result. At most 15,000 lines; the returned position always resumes exactly after what was examined.
 */
export function tailLogs(env: Environment, sources: string[], after: Position | undefined, filter: QueryFilter | undefined): { entries: LogEntry[]; position: Position } {
  prepare(env);
  const now = env.clock.now();
  const begin = after ? retentionStart(env) : now - TAIL_FIRST_WINDOW_MS;
  const match = matcher(undefined, filter);
  const entries: LogEntry[] = [];
  let position: Position = after ?? { t: now, s: env.logbook.lastSeq };
  scan(env.logbook, sources, begin, Number.MAX_SAFE_INTEGER, after, (span, i) => {
    position = { t: span.timeAt(i), s: span.seqAt(i) };
    const e = match === undefined ? span.entry(i) : match(span, i);
    if (e !== undefined) entries.push(e);
    return entries.length < MAX_TAIL_LINES;
  });
  if (!after && entries.length === 0 && position.t < now) position = { t: now, s: env.logbook.lastSeq };
  return { entries, position };
}

// ---------------------------------------------------------------------------------------------- authentication entries

/**
 * am-authentication entry for a token event / journey (S4 am-authentication). Areas call this (or
 * core/audit.ts auditAuthentication directly) when a token is issued or refused.
 */
export function logAuthentication(env: Environment, ctx: AuditContext, ev: AuthenticationEvent = {}): Record<string, unknown> {
  return auditAuthentication(env, ctx, ev);
}

// ---------------------------------------------------------------------------------------------- before reading

/** Work due before reading: background traffic up to now, retention. */
function prepare(env: Environment): void {
  fillBackground(env);
  maybePrune(env);
}
