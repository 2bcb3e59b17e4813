// Issue #19 item 7: the served OpenAPI documents (GET /__emulator/openapi.json?product=aic|isc) declare every status and
// content type the emulator really answers. The robustness sweep (every operation, with and without a token, with
// garbage queries and bodies, oversized and deeply nested bodies) is replayed and each answer is checked against the
// declaration of its operation.
import { describe, it, expect } from 'vitest';
import { testEmulator, call, aicToken, iscToken } from './helpers.js';
import { MAX_JSON_DEPTH } from '../src/core/limits.js';
import type { Emulator } from '../src/emulator.js';

type Op = { responses?: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown };
type Doc = { paths: Record<string, Record<string, Op>> };

const QUERIES = ['', '?_queryFilter=((', '?_queryFilter=', '?_pageSize=-1&_pagedResultsOffset=abc&_pagedResultsCookie=%%%', '?limit=99999&offset=-5&filters=id%20eq&sorters=-nope&count=maybe', '?_action=nonsense'];
const BODIES: Array<{ raw?: string; body?: unknown; headers?: Record<string, string>; once?: boolean }> = [
  { raw: '{"broken":' },
  { body: [] },
  { body: { id: 42, name: { nested: true }, ids: 'x', decision: 'MAYBE', valueBase64: '***', items: [{}], status: 7 } },
  { body: {} },
  // sent once per operation (with the first query): what they provoke does not depend on the query
  { raw: '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), once: true },
  { raw: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), once: true },
  { raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, once: true },
];

function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, (m) => (/version/i.test(m) ? '9' : /name/i.test(m) ? 'esv-no-such-thing' : /realm/i.test(m) ? 'alpha' : 'no-such-id-00000000'));
}

/** `application/json; charset=utf-8` → `application/json`. */
const mediaType = (h: string | null) => (h ?? '').split(';')[0]!.trim().toLowerCase();

export async function undeclaredAnswers(emu: Emulator, envName: string, token: string): Promise<string[]> {
  const doc = (await call(emu, envName, 'GET', `/__emulator/openapi.json?product=${emu.env(envName)!.product}`)).body as Doc;
  const seen = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const q of QUERIES) {
        for (const b of method === 'get' || method === 'delete' ? [{}] : BODIES) {
          if (b.once && q) continue;
          // without a token the answer is the same 401 whatever the query and body: once per operation
          for (const tk of q === '' && b === (method === 'get' || method === 'delete' ? b : BODIES[0]) ? [undefined, token] : [token]) {
            const res = await call(emu, envName, method.toUpperCase(), concrete(path) + q, { raw: b.raw, body: b.body, headers: b.headers, token: tk });
            const declared = op.responses?.[String(res.status)] ?? op.responses?.[`${String(res.status)[0]}XX`] ?? op.responses?.default;
            const type = mediaType(res.headers.get('content-type'));
            if (!declared) seen.add(`${method.toUpperCase()} ${path} → ${res.status} (undeclared status)`);
            else if (res.text.length && type && !(type in (declared.content ?? {}))) seen.add(`${method.toUpperCase()} ${path} → ${res.status} ${type} (declared: ${Object.keys(declared.content ?? {}).join(', ') || 'no body'})`);
          }
        }
      }
    }
  }
  return [...seen].sort();
}

describe('the served OpenAPI documents declare what the emulator answers', () => {
  it('AIC', { timeout: 300_000 }, async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'staging', ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*']);
    expect(await undeclaredAnswers(emu, 'staging', token)).toEqual([]);
  });

  it('ISC', { timeout: 300_000 }, async () => {
    const emu = testEmulator();
    const admin = emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN'));
    const token = await iscToken(emu, admin.id);
    expect(await undeclaredAnswers(emu, 'isc', token)).toEqual([]);
  });
});
