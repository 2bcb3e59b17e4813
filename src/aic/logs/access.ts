// Access entries: every request an AIC environment serves leaves AM-ACCESS-ATTEMPT/OUTCOME (am-access) or an `access`
// entry (idm-access), and token grants an am-authentication entry (S4 am-access / idm-access / am-authentication
// examples). Entries are stored as one compact record per request (interned header set, raw URL, ids, status) and
// rendered into the documented payload when read, so the request path pays for neither the payload nor a random id.
import { randomUUID } from 'node:crypto';
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';
import type { CompactKind, LogBook, LogEntry, PackedColumns, PackedRow } from '../../core/logbook.js';
import { auditAuthentication, payloadTransactionId } from '../../core/audit.js';
import { transactionIdOf, transactionNumber } from '../../core/ids.js';

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

/** What identical requests share: method, URL, loggable header set and token detail (kept by reference in the
 *  log store's rows, so a run of identical requests keeps one object). */
export interface AccessShape {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly detail: Readonly<Record<string, string>> | undefined;
}

/** What one request leaves in the log: built per request and copied into the log store's columns by its attempt and
 *  outcome entries (the stored form is its shared shape plus a few numbers; see ACCESS_COLUMNS). */
export interface AccessRecord {
  readonly method: string;
  /** The request URL as received (parsed only when an entry is read). */
  readonly url: string;
  /** The loggable request headers (credentials dropped), interned: identical requests share one object. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request's transaction id: the caller's x-forgerock-transactionid, or the number of the one the emulator
   *  made (ids.ts transactionNumber: a number costs no string per stored request). */
  readonly tx: string | number;
  /** Numbers the entry `_id` (rendered on read, see accessId). */
  readonly n: number;
  /** A token request's client_id, grant_type, scope (S4 am-access example). */
  readonly detail: Readonly<Record<string, string>> | undefined;
  status: number;
  elapsedMs: number;
  principalId: string | undefined;
  tokenId: string | undefined;
  /** method, url, headers and detail as one shared object */
  readonly shape: AccessShape;
}

/**
 * The loggable headers of a request, interned in the environment's log book. Under @hono/node-server the Node
 * request's parsed header object is read (materialising a fetch Headers object costs more than the rest of the log).
 */
export function loggableHeaders(book: LogBook, headers: Headers | Record<string, string | string[] | undefined>): Readonly<Record<string, string>> {
  const last = book.lastAccess;
  if (last !== undefined && !(headers instanceof Headers)) {
    // the same names, in the same order, with the same values as the last record's: its interned set
    const names = last.names;
    let n = 0;
    let same = true;
    for (const k in headers) {
      const v = headers[k];
      if (v === undefined || EXCLUDED_HEADERS.has(k)) continue;
      if (names[n] !== k || last.headers[k] !== v) {
        same = false;
        break;
      }
      n++;
    }
    if (same && n === names.length) return last.headers;
  }
  let key = '';
  const pairs: string[] = [];
  const add = (k: string, v: string) => {
    if (EXCLUDED_HEADERS.has(k)) return;
    pairs.push(k, v);
    key += `${k}\u0000${v}\u0000`;
  };
  if (headers instanceof Headers) headers.forEach((v, k) => add(k, v));
  else {
    for (const k in headers) {
      const v = headers[k];
      if (v !== undefined) add(k, Array.isArray(v) ? v.join(', ') : v);
    }
  }
  const set = book.intern(key, () => {
    const out: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) out[pairs[i]!] = pairs[i + 1]!;
    return Object.freeze(out);
  });
  const names: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) names.push(pairs[i]!);
  book.lastAccess = { headers: set, names, shape: book.lastAccess?.shape };
  return set;
}

let accessCounter = 0;
/** Start the record of a request (its outcome fields are filled by writeAccessOutcome). */
export function accessRecord(book: LogBook, method: string, url: string, headers: Headers | Record<string, string | string[] | undefined>, txId: string, detail?: Record<string, string>): AccessRecord {
  const set = loggableHeaders(book, headers);
  const shape = accessShape(book, method, url, set, detail);
  return { method, url: shape.url, headers: set, tx: transactionNumber(txId) ?? txId, n: ++accessCounter, detail, status: 0, elapsedMs: 0, principalId: undefined, tokenId: undefined, shape };
}

/**
 * The shared shape of a request: the last record's when method, URL and header set are the same (an SDK polling, a
 * load test), else the one kept for its URL, else a new one kept for its URL (so repeated calls of one URL keep one
 * string; a token request's detail is its own).
 */
function accessShape(book: LogBook, method: string, url: string, set: Readonly<Record<string, string>>, detail: Record<string, string> | undefined): AccessShape {
  const last = book.lastAccess!;
  const prev = last.shape as AccessShape | undefined;
  if (detail === undefined && prev !== undefined && prev.headers === set && prev.method === method && prev.url === url) return prev;
  const known = book.shapes.get(url) as AccessShape | undefined;
  if (detail !== undefined) return { method, url: known?.url ?? url, headers: set, detail };
  let shape = known;
  if (shape === undefined || shape.headers !== set || shape.method !== method) {
    shape = { method, url: known?.url ?? url, headers: set, detail: undefined };
    book.keepShape(url, shape);
  }
  last.shape = shape;
  return shape;
}

/**
 * How an access entry is kept (issue #17): its shape by reference, the record's numbers unboxed in the source's number
 * columns and its principal strings (shared with the cached principal) in its reference columns (transaction id: the
 * row's transaction key), so a kept entry owns no object.
 */
const ACCESS_COLUMNS = {
  pack(r: AccessRecord, row: PackedRow): unknown {
    const num = row.num;
    num[0] = r.n;
    num[1] = r.status;
    num[2] = r.elapsedMs;
    row.ref[0] = r.principalId;
    row.ref[1] = r.tokenId;
    row.ref[2] = undefined;
    return r.shape;
  },
  unpack(kept: unknown, columns: PackedColumns, p: number, txKey: string | number | undefined): AccessRecord {
    const s = kept as AccessShape;
    return {
      method: s.method,
      url: s.url,
      headers: s.headers,
      tx: txKey as string | number,
      n: columns.num[0]![p]!,
      detail: s.detail,
      status: columns.num[1]![p]!,
      elapsedMs: columns.num[2]![p]!,
      principalId: columns.ref[0]![p] as string | undefined,
      tokenId: columns.ref[1]![p] as string | undefined,
      shape: s,
    };
  },
};

/** The request's transaction id. */
export function recordTxId(r: AccessRecord): string {
  return typeof r.tx === 'number' ? transactionIdOf(r.tx) : r.tx;
}

// `_id` of an access entry: a UUID with a sequence suffix (S4: "a568d4fe-d655-49a8-8290-bfc02095bec9-491"), made from
// a per-process random prefix and the record number when read, so attempt and outcome share it and nothing is
// generated per request (the prefix is drawn when the first entry is read, not at module load: issue #17, start-up)
let idPrefix: string | undefined;
function accessId(n: number): string {
  return `${(idPrefix ??= randomUUID().slice(0, 24))}${n.toString(16).padStart(12, '0')}-${n}`;
}

export function clientIp(headers: Readonly<Record<string, string>>): string {
  const xff = headers['x-forwarded-for'];
  if (xff) return xff.split(',')[0]!.trim();
  return headers['x-real-ip'] ?? '127.0.0.1';
}

function headerMap(headers: Readonly<Record<string, string>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k in headers) out[k] = [headers[k]!];
  return out;
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

function reasonOf(status: number): string {
  const r: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };
  return r[status] ?? 'Error';
}

/** The access source of a path: AM routes → am-access; everything else the tenant serves (IDM, environment, IGA) → idm-access. */
export function accessSource(path: string): 'am-access' | 'idm-access' {
  return path === '/am' || path.startsWith('/am/') ? 'am-access' : 'idm-access';
}

/** Paths that are not tenant traffic: the emulator's control plane and the monitoring service itself. */
export function isUnloggedPath(path: string): boolean {
  return path.startsWith('/__emulator') || path === '/monitoring' || path.startsWith('/monitoring/');
}

/** The parts of an AM access payload attempt and outcome share (S4 am-access example). */
function amCommon(r: AccessRecord, entry: LogEntry): Record<string, unknown> {
  // the URL's parts are parsed once per distinct URL (urlJson); the payload is still a fresh object each read
  const u = urlJson(r.url);
  const query = queryMap(u.params);
  return {
    _id: accessId(r.n),
    client: { ip: clientIp(r.headers) },
    component: u.componentName,
    http: { request: { headers: headerMap(r.headers), method: r.method, path: u.pathText, secure: u.https, ...(query ? { queryParameters: query } : {}) } },
    level: 'INFO',
    realm: u.realmName,
    request: r.detail ? { detail: { ...r.detail } } : { protocol: 'CREST', operation: crestOperation(r.method, u.params) },
    source: 'audit',
    timestamp: entry.timestamp,
    topic: 'access',
    transactionId: payloadTransactionId(recordTxId(r), 0),
  };
}

// ---------------------------------------------------------------------------------------------- JSON on read
// A log page is up to 1000 entries (≈ 0.8 MB): each kind writes its payload's JSON text directly, from fragments
// cached per URL and per interned header set, instead of building ~20 objects per entry and stringifying them
// (issue #17: a one-hour query through the listener). Each must equal JSON.stringify(payload(...)) byte for byte
// (test/logs-render.test.ts); keys in the order the payload functions above write them.

/** What an entry's JSON needs from its URL (parsed once per distinct URL). */
interface UrlJson {
  /** `"<origin><pathname>"` */
  readonly path: string;
  readonly secure: string;
  /** `,"queryParameters":{…}` (AM only) or '' */
  readonly query: string;
  readonly component: string;
  readonly realm: string;
  readonly params: URLSearchParams;
  /** the same, unquoted (payload objects: _queryFilter, console) */
  readonly pathText: string;
  readonly https: boolean;
  readonly componentName: string;
  readonly realmName: string;
}
const urlJsonCache = new Map<string, UrlJson>();
function urlJson(raw: string): UrlJson {
  let u = urlJsonCache.get(raw);
  if (u === undefined) {
    const url = new URL(raw);
    const query = queryMap(url.searchParams);
    const pathText = `${url.origin}${url.pathname}`;
    const https = url.protocol === 'https:';
    const componentName = amComponent(url.pathname);
    const realmName = amRealm(url.pathname);
    u = {
      path: JSON.stringify(pathText),
      secure: https ? 'true' : 'false',
      query: query ? `,"queryParameters":${JSON.stringify(query)}` : '',
      component: JSON.stringify(componentName),
      realm: JSON.stringify(realmName),
      params: url.searchParams,
      pathText,
      https,
      componentName,
      realmName,
    };
    // bounded like the log book's intern table (URLs there are interned, so a request stream repeats keys)
    if (urlJsonCache.size >= 4096) urlJsonCache.clear();
    urlJsonCache.set(raw, u);
  }
  return u;
}

/** `{"ip":…}` and the `headers` object of a header set (interned sets are frozen: computed once each). */
const headersJsonCache = new WeakMap<object, { client: string; headers: string }>();
function headersJson(headers: Readonly<Record<string, string>>): { client: string; headers: string } {
  let h = headersJsonCache.get(headers);
  if (h === undefined) {
    h = { client: JSON.stringify({ ip: clientIp(headers) }), headers: JSON.stringify(headerMap(headers)) };
    headersJsonCache.set(headers, h);
  }
  return h;
}

/** A finite number as JSON (elapsed times are; JSON writes anything else as null). */
const numJson = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** The AM fields attempt and outcome share, as JSON fragments. */
function amJson(r: AccessRecord, entry: LogEntry) {
  const u = urlJson(r.url);
  const h = headersJson(r.headers);
  return {
    head: `{"_id":"${accessId(r.n)}","client":${h.client},"component":${u.component},`,
    http: `"http":{"request":{"headers":${h.headers},"method":${JSON.stringify(r.method)},"path":${u.path},"secure":${u.secure}${u.query}}},"level":"INFO",`,
    realm: `"realm":${u.realm},`,
    request: `"request":${r.detail ? `{"detail":${JSON.stringify(r.detail)}}` : `{"protocol":"CREST","operation":${JSON.stringify(crestOperation(r.method, u.params))}}`},`,
    tail: `"source":"audit","timestamp":"${entry.timestamp}","topic":"access","transactionId":${JSON.stringify(payloadTransactionId(recordTxId(r), 0))}`,
  };
}

/** am-access AM-ACCESS-ATTEMPT (S4 am-access example). */
const AM_ATTEMPT: CompactKind<AccessRecord> = {
  type: 'application/json',
  tx: recordTxId,
  txKey: (r) => r.tx,
  ...ACCESS_COLUMNS,
  payload(r, entry) {
    const { _id, client, component, http, level, realm, request, source, timestamp, topic, transactionId } = amCommon(r, entry);
    return { _id, client, component, eventName: 'AM-ACCESS-ATTEMPT', http, level, realm, request, source, timestamp, topic, transactionId };
  },
  payloadJson(r, entry) {
    const j = amJson(r, entry);
    return `${j.head}"eventName":"AM-ACCESS-ATTEMPT",${j.http}${j.realm}${j.request}${j.tail}}`;
  },
};

/** am-access AM-ACCESS-OUTCOME (S4 am-access example). */
const AM_OUTCOME: CompactKind<AccessRecord> = {
  type: 'application/json',
  tx: recordTxId,
  txKey: (r) => r.tx,
  ...ACCESS_COLUMNS,
  payload(r, entry) {
    const { _id, client, component, http, level, realm, request, source, timestamp, topic, transactionId } = amCommon(r, entry);
    const ok = r.status < 400;
    return {
      _id,
      client,
      component,
      eventName: 'AM-ACCESS-OUTCOME',
      http,
      level,
      source,
      timestamp,
      topic,
      transactionId,
      realm,
      request,
      // S4 "response.statusCode: HTTP failure codes are displayed but HTTP success codes aren't"
      response: {
        status: ok ? 'SUCCESSFUL' : 'FAILED',
        ...(ok ? {} : { statusCode: String(r.status), detail: { reason: reasonOf(r.status) } }),
        elapsedTime: r.elapsedMs,
        elapsedTimeUnits: 'MILLISECONDS',
      },
      trackingIds: r.tokenId ? [r.tokenId] : [],
      ...(r.principalId ? { userId: `id=${r.principalId},ou=user,ou=am-config` } : {}),
    };
  },
  payloadJson(r, entry) {
    const j = amJson(r, entry);
    const ok = r.status < 400;
    const response = ok
      ? `{"status":"SUCCESSFUL","elapsedTime":${numJson(r.elapsedMs)},"elapsedTimeUnits":"MILLISECONDS"}`
      : `{"status":"FAILED","statusCode":"${r.status}","detail":{"reason":${JSON.stringify(reasonOf(r.status))}},"elapsedTime":${numJson(r.elapsedMs)},"elapsedTimeUnits":"MILLISECONDS"}`;
    const tracking = r.tokenId ? `[${JSON.stringify(r.tokenId)}]` : '[]';
    const user = r.principalId ? `,"userId":${JSON.stringify(`id=${r.principalId},ou=user,ou=am-config`)}` : '';
    return `${j.head}"eventName":"AM-ACCESS-OUTCOME",${j.http}${j.tail},${j.realm}${j.request}"response":${response},"trackingIds":${tracking}${user}}`;
  },
};

/** idm-access `access` (S4 idm-access example). */
const IDM_ACCESS: CompactKind<AccessRecord> = {
  type: 'application/json',
  tx: recordTxId,
  txKey: (r) => r.tx,
  ...ACCESS_COLUMNS,
  payload(r, entry) {
    const url = urlJson(r.url);
    const ok = r.status < 400;
    return {
      _id: accessId(r.n),
      client: { ip: clientIp(r.headers) },
      eventName: 'access',
      http: { request: { headers: headerMap(r.headers), method: r.method, path: url.pathText, secure: url.https } },
      level: 'INFO',
      source: 'audit',
      timestamp: entry.timestamp,
      topic: 'access',
      transactionId: payloadTransactionId(recordTxId(r), 0),
      request: { operation: crestOperation(r.method, url.params), protocol: 'CREST' },
      response: { elapsedTime: r.elapsedMs, elapsedTimeUnits: 'MILLISECONDS', status: ok ? 'SUCCESSFUL' : 'FAILED', statusCode: String(r.status) },
      roles: r.principalId ? ['internal/role/openidm-authorized'] : ['internal/role/openidm-reg'],
      server: { ip: '10.68.2.21', port: 8080 },
      userId: r.principalId ?? 'anonymous',
    };
  },
  payloadJson(r, entry) {
    const u = urlJson(r.url);
    const h = headersJson(r.headers);
    const ok = r.status < 400;
    return (
      `{"_id":"${accessId(r.n)}","client":${h.client},"eventName":"access",` +
      `"http":{"request":{"headers":${h.headers},"method":${JSON.stringify(r.method)},"path":${u.path},"secure":${u.secure}}},"level":"INFO",` +
      `"source":"audit","timestamp":"${entry.timestamp}","topic":"access","transactionId":${JSON.stringify(payloadTransactionId(recordTxId(r), 0))},` +
      `"request":{"operation":${JSON.stringify(crestOperation(r.method, u.params))},"protocol":"CREST"},` +
      `"response":{"elapsedTime":${numJson(r.elapsedMs)},"elapsedTimeUnits":"MILLISECONDS","status":"${ok ? 'SUCCESSFUL' : 'FAILED'}","statusCode":${JSON.stringify(String(r.status))}},` +
      `"roles":${r.principalId ? '["internal/role/openidm-authorized"]' : '["internal/role/openidm-reg"]'},"server":{"ip":"10.68.2.21","port":8080},` +
      `"userId":${JSON.stringify(r.principalId ?? 'anonymous')}}`
    );
  },
};

/** S4 am-access: AM writes AM-ACCESS-ATTEMPT when the call arrives. */
export function writeAccessAttempt(env: Environment, r: AccessRecord): void {
  env.logbook.appendCompact('am-access', env.clock.now(), AM_ATTEMPT, r);
}

/** The outcome entry of a served request: am-access AM-ACCESS-OUTCOME or idm-access `access`. */
export function writeAccessOutcome(env: Environment, r: AccessRecord, path: string, status: number, elapsedMs: number, principal: Principal | undefined, at = env.clock.now()): void {
  r.status = status;
  r.elapsedMs = elapsedMs;
  r.principalId = principal?.id;
  r.tokenId = principal?.tokenId;
  const source = accessSource(path);
  env.logbook.appendCompact(source, at, source === 'am-access' ? AM_OUTCOME : IDM_ACCESS, r);
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
  const span = env.logbook.span('am-authentication');
  const prefix = payloadTransactionId(txId, 0).split('/')[0]!;
  for (let i = span.end - 1; i >= span.start && span.seqAt(i) > seqBefore; i--) {
    // a payload entry's key is its transaction id; any other kind of entry tells its id when read
    const key = span.txKeyAt(i);
    const tx = typeof key === 'string' ? key : key === undefined ? undefined : span.entry(i).tx;
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
