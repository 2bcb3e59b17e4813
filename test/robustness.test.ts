// "A 500 from the emulator is a bug": every documented operation of both products, called with no token, with a
// powerful token and garbage (malformed JSON, wrong types, unknown ids, odd query values), never answers 500 and
// always answers JSON or text in the product's own shape.
import { describe, it, expect } from 'vitest';
import { testEmulator, call, aicToken, iscToken } from './helpers.js';
import { openApiDocument } from '../src/openapi.js';

const BODIES: Array<{ raw?: string; body?: unknown }> = [
  { raw: '{"broken":' },
  { body: [] },
  { body: { id: 42, name: { nested: true }, ids: 'x', decision: 'MAYBE', valueBase64: '***', items: [{}], status: 7 } },
  { body: {} },
];
const QUERIES = ['', '?_queryFilter=((', '?_pageSize=-1&_pagedResultsOffset=abc&_pagedResultsCookie=%%%', '?limit=99999&offset=-5&filters=id%20eq&sorters=-nope&count=maybe', '?_action=nonsense'];

function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, (m) => (/version/i.test(m) ? '9' : /name/i.test(m) ? 'esv-no-such-thing' : 'no-such-id-00000000'));
}

describe('no 500 anywhere', () => {
  it('AIC: every operation, with and without a token, with garbage', { timeout: 120_000 }, async () => {
    const emu = testEmulator();
    const err = console.error;
    const logged: unknown[] = [];
    console.error = (...a: unknown[]) => logged.push(a);
    try {
      const token = await aicToken(emu, 'staging', ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*']);
      const doc = openApiDocument(emu.env('staging')!) as { paths: Record<string, Record<string, unknown>> };
      let calls = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) {
          for (const q of QUERIES) {
            for (const b of method === 'get' || method === 'delete' ? [{}] : BODIES) {
              for (const tk of [undefined, token]) {
                const res = await call(emu, 'staging', method.toUpperCase(), concrete(path) + q, { ...b, token: tk });
                calls++;
                expect(res.status, `${method.toUpperCase()} ${concrete(path)}${q} ${JSON.stringify(b).slice(0, 60)} → ${res.text.slice(0, 200)}`).not.toBe(500);
                expect(res.text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack traces
                // SPEC §1: every AIC response carries a transaction id
                expect(res.headers.get('x-forgerock-transactionid'), `${method.toUpperCase()} ${concrete(path)}${q}`).toBeTruthy();
              }
            }
          }
        }
      }
      expect(calls).toBeGreaterThan(500);
    } finally {
      console.error = err;
    }
    expect(logged).toEqual([]);
  });

  it('ISC: every operation, with and without a token, with garbage', { timeout: 120_000 }, async () => {
    const emu = testEmulator();
    const err = console.error;
    const logged: unknown[] = [];
    console.error = (...a: unknown[]) => logged.push(a);
    try {
      const admin = emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN'));
      const token = await iscToken(emu, admin.id);
      const doc = openApiDocument(emu.isc) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) {
          for (const q of QUERIES) {
            for (const b of method === 'get' || method === 'delete' ? [{}] : BODIES) {
              for (const tk of [undefined, token]) {
                const res = await call(emu, 'isc', method.toUpperCase(), concrete(path) + q, { ...b, token: tk });
                expect(res.status, `${method.toUpperCase()} ${concrete(path)}${q} ${JSON.stringify(b).slice(0, 60)} → ${res.text.slice(0, 200)}`).not.toBe(500);
              }
            }
          }
        }
      }
    } finally {
      console.error = err;
    }
    expect(logged).toEqual([]);
  });
});

/** Ids of real objects: up to two `id`/`_id` values from every array in the environment's state, plus ESV names. */
function realIds(state: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 4 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v.slice(0, 2)) {
        if (item && typeof item === 'object') {
          const o = item as Record<string, unknown>;
          for (const k of ['_id', 'id']) if (typeof o[k] === 'string') out.add(o[k] as string);
        }
        walk(item, depth + 1);
      }
      return;
    }
    for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(state, 0);
  return [...out];
}

const FIXED: Record<string, string[]> = {
  version: ['1', '2'],
  realm: ['alpha', 'root'],
  action: ['certify', 'revoke', 'exception', 'comment', 'forward', 'reassign', 'signoff', 'bogus'],
  type: ['ENTITLEMENT', 'ROLE', 'ACCESS_PROFILE', 'nope'],
};

async function everyOperationWithRealIds(product: 'aic' | 'isc') {
  const emu = testEmulator();
  const envName = product === 'aic' ? 'staging' : 'isc';
  const env = emu.env(envName)!;
  let token: string;
  if (product === 'aic') token = await aicToken(emu, envName, ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*']);
  else token = await iscToken(emu, emu.isc.slice<any>('identities').identities.find((i: any) => i.authorities.includes('ORG_ADMIN')).id);
  const pool = realIds(env.state);
  const doc = openApiDocument(env) as { paths: Record<string, Record<string, unknown>> };
  const err = console.error;
  const logged: unknown[] = [];
  console.error = (...a: unknown[]) => logged.push(a);
  let calls = 0;
  try {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      if (!params.length) continue;
      const choices = (p: string) => FIXED[p] ?? pool;
      for (const method of Object.keys(ops)) {
        // vary one parameter over its choices, the others at their first choice
        for (const varied of params) {
          for (const value of choices(varied)) {
            const concretePath = path.replace(/\{([^}]+)\}/g, (_m, p: string) => encodeURIComponent(p === varied ? value : choices(p)[0]!));
            for (const b of method === 'get' || method === 'delete' ? [{}] : [{ body: {} }, { raw: '{"x":' }, { body: { ids: ['x'], comment: 'c', decision: 'REVOKE' } }]) {
              const res = await call(emu, envName, method.toUpperCase(), concretePath, { ...b, token });
              calls++;
              expect(res.status, `${method.toUpperCase()} ${concretePath} ${JSON.stringify(b).slice(0, 60)} → ${res.text.slice(0, 200)}`).not.toBe(500);
            }
          }
        }
      }
    }
  } finally {
    console.error = err;
  }
  expect(logged).toEqual([]);
  return calls;
}

describe('no 500 on real objects', () => {
  it('AIC: every operation with path parameters, over ids of real objects', { timeout: 300_000 }, async () => {
    expect(await everyOperationWithRealIds('aic')).toBeGreaterThan(1000);
  });
  it('ISC: every operation with path parameters, over ids of real objects', { timeout: 300_000 }, async () => {
    expect(await everyOperationWithRealIds('isc')).toBeGreaterThan(100);
  });
});
