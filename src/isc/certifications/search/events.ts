// ISC audit events (the search `events` index, contract EventDocument/EventDocuments) written by certification actions,
// and POST /v3/search over them. The actor is the token's identity (seeds 000/001): an API client's token records its
// service identity, a PAT / authorization-code token the human. technicalName follows the documented
// `objects_operation_status` pattern (contract EventDocument.technicalName), e.g. CERTIFICATION_SIGNOFF_PASSED.
import type { Environment } from '../../../environment.js';
import type { Principal } from '../../../core/auth.js';
import { hexId } from '../../../core/ids.js';
import { findIdentity } from '../../identities/service.js';
import type { AuditEvent, IscCertificationsState } from '../model.js';
import { badRequest } from '../../shared/errors.js';

export interface EventInput {
  operation: string;
  status?: string;
  name: string;
  target: string;
  attributes: Record<string, unknown>;
}

/** Append one `events` document attributed to the request's principal (undefined: a system action). */
export function recordEvent(env: Environment, ctx: { txId: string; principal: Principal } | undefined, ev: EventInput): AuditEvent {
  const status = ev.status ?? 'PASSED';
  const technicalName = `CERTIFICATION_${ev.operation}_${status}`;
  const p = ctx?.principal;
  const actorName = p ? (findIdentity(env, p.id)?.name ?? p.name ?? p.id) : 'System';
  const now = env.clock.nowIso();
  const doc: AuditEvent = {
    id: hexId(),
    name: ev.name,
    created: now,
    synced: now,
    action: technicalName,
    type: 'CERTIFICATION',
    actor: { name: actorName },
    target: { name: ev.target },
    stack: 'certs',
    trackingNumber: ctx ? ctx.txId.replace(/-/g, '').slice(0, 32) : hexId(),
    ipAddress: '127.0.0.1',
    details: hexId(),
    attributes: { ...ev.attributes, ...(p ? { actorId: p.id, actorType: p.type, clientId: p.clientId ?? null } : { actorId: null, actorType: 'system' }) },
    objects: ['CERTIFICATION'],
    operation: ev.operation,
    status,
    technicalName,
  };
  env.slice<IscCertificationsState>('iscCertifications').events.push(doc);
  env.changed();
  return doc;
}

// ---- a small Elasticsearch query_string subset: field:value, "phrases", wildcards *, AND/OR/NOT, parentheses, ranges ----
type Node =
  | { k: 'and' | 'or'; l: Node; r: Node }
  | { k: 'not'; e: Node }
  | { k: 'term'; field?: string; value: string; phrase: boolean }
  | { k: 'range'; field: string; lo: string; hi: string; loIncl: boolean; hiIncl: boolean }
  | { k: 'all' };

function lex(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) i++;
    else if (ch === '(' || ch === ')') {
      out.push(ch);
      i++;
    } else {
      let tok = '';
      while (i < src.length && !/\s/.test(src[i]!) && src[i] !== '(' && src[i] !== ')') {
        if ((src[i] === '[' || src[i] === '{') && tok.endsWith(':')) break;
        if (src[i] === '"') {
          let j = i + 1;
          while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
          if (j >= src.length) throw badRequest(`Invalid query: unterminated phrase in ${src}`);
          tok += src.slice(i, j + 1);
          i = j + 1;
        } else tok += src[i++];
      }
      // field:(a OR b) — keep the group with its field
      if (tok.endsWith(':') && src[i] === '(') {
        let depth = 0;
        let j = i;
        do {
          if (src[j] === '(') depth++;
          else if (src[j] === ')') depth--;
          j++;
        } while (j < src.length && depth > 0);
        if (depth) throw badRequest(`Invalid query: unbalanced parentheses in ${src}`);
        tok += src.slice(i, j);
        i = j;
      }
      // field:[a TO b] / field:{a TO b} (ES range; created:[now-90d TO now] in event searches)
      if (tok.endsWith(':') && (src[i] === '[' || src[i] === '{')) {
        const j = src.slice(i).search(/[\]}]/);
        if (j < 0) throw badRequest(`Invalid query: unterminated range in ${src}`);
        tok += src.slice(i, i + j + 1);
        i += j + 1;
      }
      out.push(tok);
    }
  }
  return out;
}

export function parseQuery(src: string): Node {
  const toks = lex(src);
  let p = 0;
  const term = (tok: string): Node => {
    if (tok === '*') return { k: 'all' };
    const m = /^([A-Za-z_][\w.]*):(.*)$/s.exec(tok);
    const field = m?.[1];
    let value = m ? m[2]! : tok;
    if (field && value.startsWith('(') && value.endsWith(')')) {
      const inner = parseQuery(value.slice(1, -1));
      const bind = (n: Node): Node => (n.k === 'term' && !n.field ? { ...n, field } : n.k === 'and' || n.k === 'or' ? { ...n, l: bind(n.l), r: bind(n.r) } : n.k === 'not' ? { k: 'not', e: bind(n.e) } : n);
      return bind(inner);
    }
    if (field && /^[[{]/.test(value)) {
      const r = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/.exec(value);
      if (!r) throw badRequest(`Invalid query: bad range ${value} in ${src}`);
      return { k: 'range', field, lo: r[2]!, hi: r[3]!, loIncl: r[1] === '[', hiIncl: r[4] === ']' };
    }
    const phrase = value.startsWith('"') && value.endsWith('"') && value.length >= 2;
    if (phrase) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    else value = value.replace(/\\(.)/g, '$1');
    return { k: 'term', field, value, phrase };
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (t === undefined) throw badRequest(`Invalid query: ${src}`);
    if (t === 'NOT' || t === '!') return { k: 'not', e: primary() };
    if (t.startsWith('-') && t.length > 1) return { k: 'not', e: term(t.slice(1)) };
    if (t.startsWith('+') && t.length > 1) return term(t.slice(1));
    if (t === '(') {
      const e = orExpr();
      if (toks[p++] !== ')') throw badRequest(`Invalid query: unbalanced parentheses in ${src}`);
      return e;
    }
    if (t === ')' || t === 'AND' || t === 'OR') throw badRequest(`Invalid query: ${src}`);
    return term(t);
  };
  const andExpr = (): Node => {
    let l = primary();
    while (toks[p] === 'AND' || toks[p] === '&&') {
      p++;
      l = { k: 'and', l, r: primary() };
    }
    return l;
  };
  const orExpr = (): Node => {
    let l = andExpr();
    // ES query_string default_operator is OR: adjacent clauses without an operator are OR-ed
    while (p < toks.length && toks[p] !== ')') {
      if (toks[p] === 'OR' || toks[p] === '||') p++;
      l = { k: 'or', l, r: andExpr() };
    }
    return l;
  };
  const n = orExpr();
  if (p !== toks.length) throw badRequest(`Invalid query: ${src}`);
  return n;
}

function fieldValues(doc: Record<string, unknown>, path: string): unknown[] {
  let cur: unknown[] = [doc];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (Array.isArray(c)) for (const x of c) next.push((x as Record<string, unknown>)?.[part]);
      else if (c && typeof c === 'object') next.push((c as Record<string, unknown>)[part]);
    }
    cur = next.flatMap((x) => (Array.isArray(x) ? x : [x]));
  }
  return cur.filter((x) => x !== undefined && x !== null);
}

const DEFAULT_FIELDS = ['name', 'action', 'technicalName', 'type', 'actor.name', 'target.name', 'operation', 'status'];

function matchValue(actual: unknown, value: string, phrase: boolean): boolean {
  const a = String(actual).toLowerCase();
  const v = value.toLowerCase();
  if (!phrase && v.includes('*')) {
    const re = new RegExp('^' + v.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return re.test(a);
  }
  if (a === v) return true;
  // analysed text fields: a bare word matches a word of the value
  return !phrase ? a.split(/[\s_.,:/-]+/).includes(v) : a.includes(v);
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };

/** A range bound as a number (dates: ms; `now`, `now-90d`, `now+1h` on the emulator clock) or, failing that, a string. */
function boundOf(raw: string, now: number): number | string {
  const m = /^now(?:([+-])(\d+)([smhHdwMy]))?$/.exec(raw);
  if (m) return m[1] ? now + (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]! : now;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const t = Date.parse(raw);
  return Number.isNaN(t) ? raw.toLowerCase() : t;
}

function inRange(actual: unknown, n: Extract<Node, { k: 'range' }>, now: number): boolean {
  const check = (raw: string, incl: boolean, dir: 1 | -1): boolean => {
    if (raw === '*') return true;
    const b = boundOf(raw, now);
    const a = typeof b === 'number' ? (typeof actual === 'number' ? actual : Date.parse(String(actual))) : String(actual).toLowerCase();
    if (typeof a === 'number' && Number.isNaN(a)) return false;
    return a === b ? incl : dir === 1 ? a > b : a < b;
  };
  return check(n.lo, n.loIncl, 1) && check(n.hi, n.hiIncl, -1);
}

function evaluate(n: Node, doc: Record<string, unknown>, now: number): boolean {
  switch (n.k) {
    case 'all':
      return true;
    case 'and':
      return evaluate(n.l, doc, now) && evaluate(n.r, doc, now);
    case 'or':
      return evaluate(n.l, doc, now) || evaluate(n.r, doc, now);
    case 'not':
      return !evaluate(n.e, doc, now);
    case 'range':
      return fieldValues(doc, n.field).some((v) => inRange(v, n, now));
    case 'term': {
      const fields = n.field ? [n.field] : DEFAULT_FIELDS;
      if (n.field && n.value === '*') return fieldValues(doc, n.field).length > 0;
      return fields.some((f) => fieldValues(doc, f).some((v) => matchValue(v, n.value, n.phrase)));
    }
  }
}

const INDICES = new Set(['accessprofiles', 'accountactivities', 'entitlements', 'events', 'identities', 'roles', '*']);

export interface SearchBody {
  indices?: string[];
  queryType?: string;
  query?: { query?: string };
  sort?: string[];
  searchAfter?: string[];
}

/** POST /v3/search for the `events` index (other indices hold no documents in this emulator). */
export function searchEvents(env: Environment, body: SearchBody, paging: { limit: number; offset: number }) {
  const indices = body.indices ?? ['*'];
  for (const i of indices) if (!INDICES.has(i)) throw badRequest(`Invalid index: ${i}`);
  if (body.queryType && body.queryType !== 'SAILPOINT') throw badRequest(`queryType ${body.queryType} is not supported by the emulator; use SAILPOINT with query.query.`);
  if (!indices.includes('events') && !indices.includes('*')) return { rows: [], total: 0 };
  const q = body.query?.query?.trim();
  const node = q ? parseQuery(q) : ({ k: 'all' } as Node);
  const org = env.emulator.fixture.isc.tenant;
  const now = env.clock.now();
  let rows = env
    .slice<IscCertificationsState>('iscCertifications')
    .events.filter((e) => evaluate(node, e as unknown as Record<string, unknown>, now))
    .map((e) => ({ ...e, pod: 'emu01-local', org, _type: 'event' as const, _version: 'v7' }));
  const sort = body.sort ?? [];
  if (sort.length) {
    const keys = sort.map((s) => (s.startsWith('-') ? { f: s.slice(1), d: -1 } : { f: s.replace(/^\+/, ''), d: 1 }));
    const sortValues = (r: unknown) => keys.map((k) => String(fieldValues(r as Record<string, unknown>, k.f)[0] ?? ''));
    const compare = (x: string[], y: string[]) => {
      for (let i = 0; i < keys.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -keys[i]!.d : keys[i]!.d;
      return 0;
    };
    rows = [...rows].sort((a, b) => compare(sortValues(a), sortValues(b)));
    if (body.searchAfter?.length) {
      // ES search_after: only documents whose sort values come strictly after the given ones (ties and absent values too)
      const after = body.searchAfter;
      rows = rows.filter((r) => compare(sortValues(r), after) > 0);
    }
  }
  return { rows: rows.slice(paging.offset, paging.offset + paging.limit), total: rows.length };
}
