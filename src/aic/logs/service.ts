// Monitoring logs: API-key auth, rate limiting, queries and tail over the per-source time index, access entries
// for every request, retention, and optional deterministic background traffic (SPEC §4; S4 L4800–6520).
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import type { Environment } from '../../environment.js';
import type { Emulator } from '../../emulator.js';
import type { Principal } from '../../core/auth.js';
import { FixedWindowLimiter, type RateDecision } from '../../core/rateLimit.js';
import { lowerBound, upperBound, type LogBook, type LogEntry } from '../../core/logbook.js';
import { matchesFilter, type QueryFilter } from '../../core/queryFilter.js';
import { auditMessageId, auditAuthentication, payloadTransactionId, type AuditContext, type AuthenticationEvent } from '../../core/audit.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_RETENTION_DAYS, FAMILIES, MAX_TAIL_LINES, sourceList, TAIL_FIRST_WINDOW_MS, type LogsState } from './model.js';

const DAY_MS = 24 * 3600_000;

/** The logs settings of an environment (defaults when the slice is missing, e.g. on ISC). */
export function logsState(env: Environment): LogsState {
  return (
    env.slice<LogsState | undefined>('logs') ?? { rateLimit: DEFAULT_RATE_LIMIT, retentionDays: DEFAULT_RETENTION_DAYS, wsFederation: false, backgroundTraffic: null }
  );
}

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

/** Keyed by the environment's logs slice, so a reset or re-seed starts a fresh window. */
const limiters = new WeakMap<object, FixedWindowLimiter>();

function limiterKey(env: Environment): object {
  return env.slice<object | undefined>('logs') ?? env;
}

/** One request against the environment's shared /monitoring/logs + /tail quota (S4 L6473–6510: 60 a minute, per environment). */
export function rateHit(env: Environment): RateDecision {
  const key = limiterKey(env);
  let l = limiters.get(key);
  if (!l) {
    l = new FixedWindowLimiter(() => logsState(env).rateLimit, 60_000, () => env.clock.now());
    limiters.set(key, l);
  }
  return l.hit('logs');
}

/** Forget the current window (control plane). */
export function resetRateLimit(env: Environment): void {
  limiters.get(limiterKey(env))?.reset();
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
 * Visit the entries of several sources in one (t, seq) order, within [begin, end], strictly after `after`
 * (binary-searched start, k-way merge, no copies). `visit` returns false to stop.
 */
function scan(book: LogBook, sources: string[], begin: number, end: number, after: Position | undefined, visit: (e: LogEntry) => boolean): void {
  const lists = sources.map((s) => book.view(s));
  const idx = lists.map((l, i) => {
    const from = lowerBound(l, begin);
    return after ? Math.max(from, book.indexAfter(sources[i]!, after.t, after.s)) : from;
  });
  const stop = lists.map((l) => upperBound(l, end));
  if (lists.length === 1) {
    // one source: a plain loop over its slice of the index
    const l = lists[0]!;
    for (let i = idx[0]!, n = stop[0]!; i < n; i++) if (!visit(l[i]!)) return;
    return;
  }
  for (;;) {
    let best = -1;
    let bt = 0;
    let bs = 0;
    for (let i = 0; i < lists.length; i++) {
      if (idx[i]! >= stop[i]!) continue;
      const e = lists[i]![idx[i]!]!;
      if (best < 0 || e.t < bt || (e.t === bt && e.seq < bs)) {
        best = i;
        bt = e.t;
        bs = e.seq;
      }
    }
    if (best < 0) return;
    if (!visit(lists[best]![idx[best]!++]!)) return;
  }
}

/** The wire form of an entry (S4 "Retrieve log entries": payload, timestamp, type, source). */
export function wireEntry(e: LogEntry): { payload: unknown; timestamp: string; type: LogEntry['type']; source: string } {
  return { payload: e.payload, timestamp: e.timestamp, type: e.type, source: e.source };
}

function txBase(v: string): string {
  const i = v.indexOf('/');
  return i < 0 ? v : v.slice(0, i);
}

function matcher(txId: string | undefined, filter: QueryFilter | undefined): (e: LogEntry) => boolean {
  const tx = txId ? txBase(txId) : undefined;
  return (e) => {
    if (tx !== undefined) {
      const v = e.tx;
      // the part before '/' equals tx, compared in place (no substring per entry: this scans whole windows)
      if (v === undefined || !v.startsWith(tx) || (v.length !== tx.length && v.charCodeAt(tx.length) !== 47)) return false;
    }
    return filter ? matchesFilter(filter, wireEntry(e)) : true;
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
  scan(env.logbook, p.sources, begin, p.end, p.after, (e) => {
    if (!match(e)) return true;
    if (entries.length === p.pageSize) {
      const last = entries[entries.length - 1]!;
      next = { t: last.t, s: last.seq };
      return false;
    }
    entries.push(e);
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
  scan(env.logbook, sources, begin, Number.MAX_SAFE_INTEGER, after, (e) => {
    position = { t: e.t, s: e.seq };
    if (match(e)) entries.push(e);
    return entries.length < MAX_TAIL_LINES;
  });
  if (!after && entries.length === 0 && position.t < now) position = { t: now, s: env.logbook.lastSeq };
  return { entries, position };
}

// ---------------------------------------------------------------------------------------------- retention

const lastPrune = new WeakMap<Environment, number>();

function retentionStart(env: Environment): number {
  return env.clock.now() - logsState(env).retentionDays * DAY_MS;
}

/** Drop entries past retention (S4 L4803: 30 days), at most once a minute of emulator time. */
export function maybePrune(env: Environment): void {
  const now = env.clock.now();
  const last = lastPrune.get(env);
  if (last !== undefined && now - last < 60_000 && now >= last) return;
  lastPrune.set(env, now);
  env.logbook.prune(retentionStart(env));
}

/** Work due before reading: background traffic up to now, retention. */
function prepare(env: Environment): void {
  fillBackground(env);
  maybePrune(env);
}

// ---------------------------------------------------------------------------------------------- authentication entries

/**
 * am-authentication entry for a token event / journey (S4 am-authentication). Areas call this (or
 * core/audit.ts auditAuthentication directly) when a token is issued or refused.
 */
export function logAuthentication(env: Environment, ctx: AuditContext, ev: AuthenticationEvent = {}): Record<string, unknown> {
  return auditAuthentication(env, ctx, ev);
}

// ---------------------------------------------------------------------------------------------- access entries

/** Request headers AIC keeps in access entries (its audit excludeIf list drops credentials and noise; S4 L6290–6320). */
const EXCLUDED_HEADERS = new Set([
  'authorization',
  'cookie',
  'x-api-key',
  'x-api-secret',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'proxy-authorization',
  'x-openam-password',
  'x-openidm-password',
]);
const EXCLUDED_QUERY = new Set(['access_token', 'IDToken1', 'id_token_hint', 'Login.Token1', 'redirect_uri', 'requester', 'sessionUpgradeSSOTokenId', 'tokenId']);

export interface AccessRequest {
  method: string;
  /** Parsed at most once per request, lazily (see accessRequest). */
  readonly url: URL;
  /** The request path (known without parsing the URL: picks the access source on the hot path). */
  path: string;
  /** The request headers kept for the log (lower-case names, credentials already dropped): a plain snapshot, so an
   *  entry never holds on to the live request. */
  headers: Record<string, string>;
  txId: string;
}

/** Snapshot the loggable request headers (AIC's audit excludeIf list drops credentials and noise). */
/**
 * The request headers kept for the log. Under @hono/node-server the Node request's already-parsed header object is
 * used (materialising a fetch Headers object costs more than the rest of the access log); in-process requests give Headers.
 */
export function loggableHeaders(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((v, k) => {
      if (!EXCLUDED_HEADERS.has(k)) out[k] = v;
    });
    return out;
  }
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined && !EXCLUDED_HEADERS.has(k)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** An AccessRequest whose URL is parsed only when an entry is built or read. */
export function accessRequest(method: string, rawUrl: string, headers: Record<string, string>, txId: string, path: string): AccessRequest {
  let parsed: URL | undefined;
  return {
    method,
    path,
    get url() {
      return (parsed ??= new URL(rawUrl));
    },
    headers,
    txId,
  };
}

export function clientIp(headers: Record<string, string>): string {
  const xff = headers['x-forwarded-for'];
  if (xff) return xff.split(',')[0]!.trim();
  return headers['x-real-ip'] ?? '127.0.0.1';
}

function headerMap(headers: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k in headers) out[k] = [headers[k]!];
  return out;
}

function crestOperation(method: string, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
      return query.has('_queryFilter') || query.has('_queryId') ? 'QUERY' : 'READ';
    case 'POST':
      return query.has('_action') ? 'ACTION' : 'CREATE';
    case 'PUT':
      return 'UPDATE';
    case 'PATCH':
      return 'PATCH';
    case 'DELETE':
      return 'DELETE';
    default:
      return method;
  }
}

function amComponent(path: string): string {
  if (path.startsWith('/am/oauth2')) return 'OAuth';
  if (/\/authenticate\b/.test(path)) return 'Authentication';
  if (/\/sessions\b/.test(path)) return 'Session';
  if (/\/users\b/.test(path)) return 'Users';
  if (/\/serverinfo\b/.test(path)) return 'Server Info';
  return 'Config';
}

function amRealm(path: string): string {
  const m = /\/realms\/root((?:\/realms\/[^/]+)*)/.exec(path);
  if (!m || !m[1]) return '/';
  return m[1].replace(/\/realms\//g, '/');
}

/** The access source of a path: AM routes → am-access; everything else the tenant serves (IDM, environment, IGA) → idm-access. */
export function accessSource(path: string): 'am-access' | 'idm-access' {
  return path === '/am' || path.startsWith('/am/') ? 'am-access' : 'idm-access';
}

/** Paths that are not tenant traffic: the emulator's control plane and the monitoring service itself. */
export function isUnloggedPath(path: string): boolean {
  return path.startsWith('/__emulator') || path === '/monitoring' || path.startsWith('/monitoring/');
}

/** am-access AM-ACCESS-ATTEMPT (S4 am-access example). The payload is built when first read. */
export function writeAccessAttempt(env: Environment, req: AccessRequest, id: string, detail?: Record<string, string>): void {
  const t = env.clock.now();
  const tx = payloadTransactionId(req.txId, 0);
  env.logbook.appendLazy('am-access', t, 'application/json', () => {
    const url = req.url;
    const query = queryMap(url.searchParams);
    return {
      _id: id,
      client: { ip: clientIp(req.headers) },
      component: amComponent(url.pathname),
      eventName: 'AM-ACCESS-ATTEMPT',
      http: { request: { headers: headerMap(req.headers), method: req.method, path: `${url.origin}${url.pathname}`, secure: url.protocol === 'https:', ...(query ? { queryParameters: query } : {}) } },
      level: 'INFO',
      realm: amRealm(url.pathname),
      request: detail ? { detail } : { protocol: 'CREST', operation: crestOperation(req.method, url.searchParams) },
      source: 'audit',
      timestamp: new Date(t).toISOString(),
      topic: 'access',
      transactionId: tx,
    };
  }, tx);
}

function queryMap(params: URLSearchParams): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  params.forEach((v, k) => {
    if (EXCLUDED_QUERY.has(k)) return;
    out ??= {};
    (out[k] ??= []).push(v);
  });
  return out;
}

/** The outcome entry of a served request: am-access AM-ACCESS-OUTCOME or idm-access `access` (S4 examples), built when first read. */
export function writeAccessOutcome(env: Environment, req: AccessRequest, id: string, status: number, elapsedMs: number, principal: Principal | undefined, detail?: Record<string, string>): void {
  const source = accessSource(req.path);
  const t = env.clock.now();
  const principalId = principal?.id;
  const tokenId = principal?.tokenId;
  env.logbook.appendLazy(source, t, 'application/json', () => buildOutcome(source, req, id, status, elapsedMs, principalId, tokenId, t, detail), payloadTransactionId(req.txId, 0));
}

function buildOutcome(source: 'am-access' | 'idm-access', req: AccessRequest, id: string, status: number, elapsedMs: number, principalId: string | undefined, tokenId: string | undefined, t: number, detail?: Record<string, string>): Record<string, unknown> {
  const url = req.url;
  const ok = status < 400;
  const path = `${url.origin}${url.pathname}`;
  const common = {
    http: { request: { headers: headerMap(req.headers), method: req.method, path, secure: url.protocol === 'https:' } },
    level: 'INFO',
    source: 'audit',
    timestamp: new Date(t).toISOString(),
    topic: 'access',
    transactionId: payloadTransactionId(req.txId, 0),
  };
  if (source === 'am-access') {
    const query = queryMap(url.searchParams);
    if (query) (common.http.request as Record<string, unknown>).queryParameters = query;
    return {
      _id: id,
      client: { ip: clientIp(req.headers) },
      component: amComponent(url.pathname),
      eventName: 'AM-ACCESS-OUTCOME',
      ...common,
      realm: amRealm(url.pathname),
      request: detail ? { detail } : { protocol: 'CREST', operation: crestOperation(req.method, url.searchParams) },
      // S4 "response.statusCode: HTTP failure codes are displayed but HTTP success codes aren't"
      response: {
        status: ok ? 'SUCCESSFUL' : 'FAILED',
        ...(ok ? {} : { statusCode: String(status), detail: { reason: reasonOf(status) } }),
        elapsedTime: elapsedMs,
        elapsedTimeUnits: 'MILLISECONDS',
      },
      trackingIds: tokenId ? [tokenId] : [],
      ...(principalId ? { userId: `id=${principalId},ou=user,ou=am-config` } : {}),
    };
  }
  return {
    _id: id,
    client: { ip: clientIp(req.headers) },
    eventName: 'access',
    ...common,
    request: { operation: crestOperation(req.method, url.searchParams), protocol: 'CREST' },
    response: { elapsedTime: elapsedMs, elapsedTimeUnits: 'MILLISECONDS', status: ok ? 'SUCCESSFUL' : 'FAILED', statusCode: String(status) },
    roles: principalId ? ['internal/role/openidm-authorized'] : ['internal/role/openidm-reg'],
    server: { ip: '10.68.2.21', port: 8080 },
    userId: principalId ?? 'anonymous',
  };
}

function reasonOf(status: number): string {
  const r: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };
  return r[status] ?? 'Error';
}

export function newAccessId(): string {
  return auditMessageId();
}

// ---------------------------------------------------------------------------------------------- background traffic

const trafficOverride = new WeakMap<Emulator, number>();
/** Where generation has reached, per environment (ms of emulator time). Keyed by the slice so a reset starts over. */
const generatedUntil = new WeakMap<object, number>();
/** Never generate more than this many events in one catch-up (a long-stopped clock or a huge rate). */
const MAX_CATCH_UP_EVENTS = 20_000;
/** When traffic is first seen, history is back-filled this far so dashboards have something to show at once. */
const BACKFILL_MS = 15 * 60_000;

/** `--log-traffic RATE`: background traffic for every AIC environment whose fixture does not set its own. */
export function setLogTraffic(emulator: Emulator, ratePerMinute: number): void {
  trafficOverride.set(emulator, ratePerMinute);
}

function trafficRate(env: Environment): number {
  const st = logsState(env);
  if (st.backgroundTraffic) return st.backgroundTraffic.ratePerMinute;
  return trafficOverride.get(env.emulator) ?? 0;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

let trafficFaker: Faker | undefined;

/** Faker is loaded lazily, only when traffic is on (start-up budget: see scripts/build.mjs), as its own instance. */
function loadFaker(): Faker {
  if (!trafficFaker) {
    const mod = createRequire(import.meta.url)('@faker-js/faker') as typeof import('@faker-js/faker');
    trafficFaker = new mod.Faker({ locale: [mod.en, mod.base] });
  }
  return trafficFaker;
}

/** Generate the deterministic background events due between the last generation and now (lazy, clock-driven). */
export function fillBackground(env: Environment): void {
  const rate = trafficRate(env);
  if (!(rate > 0)) return;
  const key = env.slice<object | undefined>('logs') ?? env;
  const now = env.clock.now();
  const interval = 60_000 / rate;
  const from = Math.max(generatedUntil.get(key) ?? now - BACKFILL_MS, now - MAX_CATCH_UP_EVENTS * interval, retentionStart(env));
  if (from >= now) return;
  generatedUntil.set(key, now);
  const seedBase = hashString(`${env.emulator.fixture.fakerSeed ?? 0}:${env.name}`);
  const f = loadFaker();
  for (let k = Math.floor(from / interval) + 1; k * interval <= now; k++) {
    const t = Math.floor(k * interval);
    if (t <= from) continue;
    f.seed((seedBase ^ k) >>> 0);
    generateEvent(env, f, t);
  }
}

const TREES = ['Login', 'PasswordGrant', 'FRLogin', 'Registration', 'ResetPassword'];
const NODES = [
  { nodeType: 'PageNode', displayName: 'Page Node' },
  { nodeType: 'DataStoreDecisionNode', displayName: 'Data Store Decision' },
  { nodeType: 'ScriptedDecisionNode', displayName: 'Using Invite?' },
  { nodeType: 'IncrementLoginCountNode', displayName: 'Increment Login Count' },
];
const LOGGERS = ['org.forgerock.openam.core.rest.authn.trees.AuthTrees', 'org.forgerock.openam.oauth2.OAuth2Utils', 'org.forgerock.openam.session.service.SessionAccessManager'];

function generateEvent(env: Environment, f: Faker, t: number): void {
  const book = env.logbook;
  const iso = new Date(t).toISOString();
  const tx = `${f.string.uuid()}-request-${f.number.int({ min: 1, max: 9 })}`;
  const ip = f.internet.ipv4();
  const host = new URL(env.url).host;
  const kind = f.number.int({ min: 0, max: 9 });
  if (kind <= 5) {
    // an authentication journey: access attempt/outcome, node outcomes, journey outcome (S4 am-access / am-authentication)
    const user = f.internet.username().toLowerCase();
    const tree = f.helpers.arrayElement(TREES);
    const failed = f.number.int({ min: 0, max: 6 }) === 0;
    const trackingId = `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`;
    const path = `https://${host}/am/json/realms/root/realms/alpha/authenticate`;
    const headers = { host: [host], 'user-agent': [f.internet.userAgent()], 'x-forwarded-for': [`${ip}, 34.117.102.58, 10.154.0.3`], 'x-forwarded-proto': ['https'] };
    const id = `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`;
    const accessBase = { _id: id, client: { ip }, component: 'Authentication', http: { request: { headers, method: 'POST', path, secure: true, queryParameters: { authIndexType: ['service'], authIndexValue: [tree] } } }, level: 'INFO', realm: '/alpha', source: 'audit', timestamp: iso, topic: 'access', transactionId: `${tx}/0` };
    book.append('am-access', { ...accessBase, eventName: 'AM-ACCESS-ATTEMPT', request: { protocol: 'CREST', operation: 'ACTION', detail: { action: 'authenticate' } } }, t);
    const nodes = f.helpers.arrayElements(NODES, { min: 1, max: 3 });
    for (const n of nodes) {
      book.append(
        'am-authentication',
        {
          topic: 'authentication',
          eventName: 'AM-NODE-LOGIN-COMPLETED',
          transactionId: `${tx}/1`,
          principal: [user],
          timestamp: iso,
          component: 'Authentication',
          source: 'audit',
          realm: '/alpha',
          entries: [{ info: { authLevel: '0', displayName: n.displayName, nodeId: f.string.uuid(), nodeOutcome: failed ? 'false' : 'true', treeName: tree, nodeType: n.nodeType } }],
          level: 'INFO',
          trackingIds: [trackingId],
          _id: `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`,
        },
        t,
      );
    }
    book.append(
      'am-authentication',
      {
        topic: 'authentication',
        eventName: 'AM-LOGIN-COMPLETED',
        transactionId: `${tx}/1`,
        principal: [user],
        result: failed ? 'FAILED' : 'SUCCESSFUL',
        timestamp: iso,
        component: 'Authentication',
        source: 'audit',
        realm: '/alpha',
        entries: [],
        level: failed ? 'WARNING' : 'INFO',
        trackingIds: [trackingId],
        userId: `id=${user},ou=user,o=alpha,ou=services,ou=am-config`,
        _id: `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`,
      },
      t,
    );
    book.append(
      'am-access',
      {
        ...accessBase,
        eventName: 'AM-ACCESS-OUTCOME',
        request: { protocol: 'CREST', operation: 'ACTION', detail: { action: 'authenticate' } },
        response: failed
          ? { status: 'FAILED', statusCode: '401', detail: { reason: 'Unauthorized' }, elapsedTime: f.number.int({ min: 5, max: 400 }), elapsedTimeUnits: 'MILLISECONDS' }
          : { status: 'SUCCESSFUL', elapsedTime: f.number.int({ min: 5, max: 400 }), elapsedTimeUnits: 'MILLISECONDS' },
        trackingIds: [trackingId],
        userId: failed ? undefined : `id=${user},ou=user,o=alpha,ou=services,ou=am-config`,
      },
      t,
    );
    if (f.number.int({ min: 0, max: 2 }) === 0) {
      const logger = f.helpers.arrayElement(LOGGERS);
      book.append(
        'am-core',
        { context: 'default', level: failed ? 'WARNING' : 'DEBUG', logger, mdc: { transactionId: `${tx}/1` }, message: failed ? `Authentication failed for ${user} in tree ${tree}` : `Tree ${tree} completed for ${user}`, thread: `http-nio-8080-exec-${f.number.int({ min: 1, max: 40 })}`, timestamp: iso, transactionId: `${tx}/1` },
        t,
      );
    }
  } else if (kind <= 8) {
    // the platform's health probe on IDM (S4 idm-access example)
    book.append(
      'idm-access',
      {
        _id: `${f.string.uuid()}-${f.number.int({ min: 100000, max: 999999 })}`,
        client: { ip, port: f.number.int({ min: 1024, max: 65535 }) },
        eventName: 'access',
        http: { request: { headers: { host: [`${host}:443`], 'user-agent': ['Blackbox Exporter/0.25.0'], 'x-forwarded-proto': ['https'] }, method: 'GET', path: `https://${host}/openidm/info/ping`, secure: true } },
        level: 'INFO',
        request: { operation: 'READ', protocol: 'CREST' },
        response: { elapsedTime: f.number.int({ min: 1, max: 30 }), elapsedTimeUnits: 'MILLISECONDS', status: 'SUCCESSFUL', statusCode: '200' },
        roles: ['internal/role/openidm-reg'],
        server: { ip: '10.68.2.21', port: 8080 },
        source: 'audit',
        timestamp: iso,
        topic: 'access',
        transactionId: `${tx}/0`,
        userId: 'anonymous',
      },
      t,
    );
  } else {
    // a plain-text IDM debug line (idm-core mixes formats; entries carry type text/plain)
    book.append('idm-core', `${iso} INFO [org.forgerock.openidm.health] ${f.hacker.phrase()}`, t);
  }
}

// ---------------------------------------------------------------------------------------------- token requests

export interface TokenRequestInfo {
  grant_type?: string;
  client_id?: string;
  scope?: string;
  /** Who authenticated: service account (JWT assertion sub), username (password grant) or client id. */
  subject?: string;
}

/** POST …/access_token (any realm form). */
export function isTokenRequest(method: string, path: string): boolean {
  return method === 'POST' && path.startsWith('/am/oauth2') && path.endsWith('/access_token');
}

function jwtPayload(jwt: string): Record<string, unknown> | undefined {
  try {
    const part = jwt.split('.')[1];
    return part ? (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Read the form of a token request from a clone (the route still reads the original body). */
export async function readTokenRequest(raw: Request): Promise<TokenRequestInfo | undefined> {
  if (!/application\/x-www-form-urlencoded/i.test(raw.headers.get('content-type') ?? '')) return undefined;
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await raw.clone().text());
  } catch {
    return undefined;
  }
  let clientId = form.get('client_id') ?? undefined;
  const basic = /^Basic\s+(.+)$/i.exec(raw.headers.get('authorization') ?? '');
  if (!clientId && basic) clientId = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] || undefined;
  const grant = form.get('grant_type') ?? undefined;
  const assertion = form.get('assertion');
  const sub = assertion ? jwtPayload(assertion)?.sub : undefined;
  const subject = typeof sub === 'string' ? sub : (grant === 'password' ? form.get('username') : undefined) ?? clientId;
  return { grant_type: grant, client_id: clientId, scope: form.get('scope') ?? undefined, subject: subject ?? undefined };
}

/** The token request's request.detail in am-access (S4 am-access example: client_id, grant_type, scope). */
export function tokenDetail(info: TokenRequestInfo): Record<string, string> {
  const d: Record<string, string> = {};
  if (info.client_id) d.client_id = info.client_id;
  if (info.grant_type) d.grant_type = info.grant_type;
  if (info.scope) d.scope = info.scope;
  return d;
}

/**
 * am-authentication for a token request, unless the token endpoint already wrote one for this transaction
 * (areas may call logAuthentication themselves with richer detail).
 */
export function logTokenAuthentication(env: Environment, txId: string, info: TokenRequestInfo, status: number, seqBefore: number): void {
  const list = env.logbook.view('am-authentication');
  const prefix = payloadTransactionId(txId, 0).split('/')[0]!;
  for (let i = list.length - 1; i >= 0 && list[i]!.seq > seqBefore; i--) {
    const tx = (list[i]!.payload as { transactionId?: unknown } | null)?.transactionId;
    if (typeof tx === 'string' && tx.startsWith(prefix)) return;
  }
  auditAuthentication(env, { txId }, {
    eventName: 'AM-LOGIN-COMPLETED',
    principal: info.subject ? [info.subject] : [],
    result: status < 400 ? 'SUCCESSFUL' : 'FAILED',
    realm: '/',
    entries: [{ info: { ...tokenDetail(info), authLevel: '0' } }],
  });
}
