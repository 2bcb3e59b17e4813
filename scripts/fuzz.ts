// npm run fuzz [-- --seconds 60] [--seed N] [--runs N] [--product aic|isc] [--url http://127.0.0.1:8080]
// Property-based requests from the served OpenAPI documents (test/fuzz/openapiFuzz.ts): no 5xx, only declared statuses
// and content types. In-process by default; with --url, against a started emulator (its control plane mints tokens).
import { parseArgs } from 'node:util';
import { createEmulator } from '../src/emulator.js';
import { fuzzDocument, realIds, type OpenApiDoc, type Target } from '../test/fuzz/openapiFuzz.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, product: { type: 'string' }, url: { type: 'string' } },
});
const seconds = Number(values.seconds ?? 60);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000;
const runs = Number(values.runs ?? 200);
const products = values.product ? [values.product as 'aic' | 'isc'] : (['aic', 'isc'] as const);

interface Api {
  json(env: string, method: string, path: string, body?: unknown): Promise<any>;
  target(env: string): Target;
  advance(): void;
}

function remote(base: string): Api {
  const urlOf = async (env: string) => {
    const envs = (await (await fetch(`${base}/__emulator/environments`)).json()) as Array<{ name: string; url: string }> | { environments: Array<{ name: string; url: string }> };
    const list = Array.isArray(envs) ? envs : envs.environments;
    return list.find((e) => e.name === env)?.url ?? base;
  };
  const cache = new Map<string, Promise<string>>();
  const envUrl = (env: string) => cache.get(env) ?? (cache.set(env, urlOf(env)), cache.get(env)!);
  return {
    async json(env, method, path, body) {
      const res = await fetch(`${await envUrl(env)}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      return res.json();
    },
    target: (env) => ({
      async send(method, path, init) {
        const res = await fetch(`${await envUrl(env)}${path}`, { method, headers: init.headers, body: init.body });
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
      },
    }),
    advance() {
      /* a started emulator keeps its own clock */
    },
  };
}

function local(): Api & { state(env: string): unknown } {
  const emu = createEmulator({ clock: { frozen: true } });
  return {
    async json(env, method, path, body) {
      const res = await emu.request(env, path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      return res.json();
    },
    target: (env) => ({
      async send(method, path, init) {
        const res = await emu.request(env, path, { method, headers: init.headers, body: init.body });
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
      },
    }),
    advance: () => emu.clock.advance(60_000),
    state: (env) => emu.env(env)!.state,
  };
}

const api = values.url ? remote(values.url.replace(/\/$/, '')) : local();
console.log(`fuzz: seed ${seed}, ${runs} runs per operation, ${seconds}s, ${values.url ?? 'in-process'}`);
let failed = 0;
const started = Date.now();
for (const product of products) {
  const envs = (await api.json('dev', 'GET', '/__emulator/environments')) as Array<{ name: string; product: string }> | { environments: Array<{ name: string; product: string }> };
  const list = Array.isArray(envs) ? envs : envs.environments;
  const env = list.find((e) => e.product === product && e.name !== 'dev')?.name ?? list.find((e) => e.product === product)!.name;
  let token: string;
  if (product === 'aic') token = (await api.json(env, 'POST', '/__emulator/token', { env, subject: 'fuzz', scopes: ['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*', 'fr:idc:promotion:*', 'fr:iga:*'], expiresIn: 86_400 * 365 })).access_token;
  else {
    const snap = await api.json(env, 'GET', '/__emulator/snapshot');
    const admin = (snap.isc.identities as Array<{ id: string; authorities?: string[] }>).find((i) => i.authorities?.includes('ORG_ADMIN'))!;
    token = (await api.json(env, 'POST', '/__emulator/token', { env, identityId: admin.id, expiresIn: 86_400 * 365 })).access_token;
  }
  const doc = (await api.json(env, 'GET', `/__emulator/openapi.json?product=${product}`)) as OpenApiDoc;
  const state = 'state' in api ? (api as ReturnType<typeof local>).state(env) : (await api.json(env, 'GET', '/__emulator/snapshot'));
  const budget = (seconds * 1000 - (Date.now() - started)) / (products.length - products.indexOf(product));
  const { findings, requests } = await fuzzDocument(doc, api.target(env), { seed, runsPerOperation: runs, timeLimitMs: budget, ids: realIds(state), token, beforeEach: api.advance });
  console.log(`${product}: ${requests} requests over ${Object.keys(doc.paths).length} paths, ${findings.length} finding(s)`);
  for (const f of findings) console.log(`  ${f.problem}: ${f.request}\n    → ${f.status} ${f.contentType} ${f.body}`);
  failed += findings.length;
}
console.log(failed ? `fuzz: ${failed} finding(s) (replay with --seed ${seed})` : 'fuzz: clean');
process.exit(failed ? 1 : 0);
