// Property-based requests generated from the served OpenAPI documents (issue #19 item 10): for every operation,
// fast-check draws path parameters, query parameters and bodies (schema-shaped, then mutated into garbage) and checks
// the properties a real tenant keeps: never a 5xx, and only statuses and content types the document declares.
// Used by `npm run fuzz` (scripts/fuzz.ts, long and optionally against a started emulator) and by test/fuzz.test.ts
// (a short seeded pass in CI).
import fc from 'fast-check';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; required?: string[]; anyOf?: Schema[]; oneOf?: Schema[]; $ref?: string };
type Param = { name: string; in: string; schema?: Schema; required?: boolean };
type Operation = { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, unknown> }> };
export type OpenApiDoc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

export interface Target {
  /** Send one request; `path` includes the query string. */
  send(method: string, path: string, init: { headers: Record<string, string>; body?: string }): Promise<{ status: number; contentType: string; text: string }>;
}

export interface FuzzOptions {
  seed: number;
  /** Runs per operation. */
  runsPerOperation: number;
  /** Stop drawing new cases after this long (ms), across all operations. */
  timeLimitMs?: number;
  /** Identifiers of real objects (path parameters are drawn from these and from garbage). */
  ids: string[];
  token: string;
  /** Called before each request (e.g. to move the clock so rate-limit windows stay fresh). */
  beforeEach?: () => void;
}

export interface Finding {
  request: string;
  status: number;
  contentType: string;
  problem: string;
  body: string;
}

const NASTY = ['', ' ', '%', '..', '../../etc/passwd', '<script>x</script>', "' OR 1=1 --", '\u0000', '😀', 'a'.repeat(300), '-1', '0', '1e309', 'null', 'true', '[]', '{}', '((', '"'];

function resolve(doc: OpenApiDoc, s: Schema | undefined): Schema | undefined {
  if (s?.$ref) return doc.components?.schemas?.[s.$ref.split('/').pop()!];
  return s;
}

/** A value shaped like the schema (then bent: any node may become garbage). */
function fromSchema(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const garbage = fc.oneof(fc.constantFrom(...NASTY), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  if (!s || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  if (s.enum?.length) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: garbage });
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => fromSchema(doc, a, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  let shaped: fc.Arbitrary<unknown>;
  switch (type) {
    case 'object':
      shaped = fc.record(Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, fromSchema(doc, v, depth + 1)])), { requiredKeys: [] });
      break;
    case 'array':
      shaped = fc.array(fromSchema(doc, s.items, depth + 1), { maxLength: 3 });
      break;
    case 'string':
      shaped = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...NASTY));
      break;
    case 'integer':
      shaped = fc.integer({ min: -5, max: 100_000 });
      break;
    case 'number':
      shaped = fc.oneof(fc.double({ noNaN: true }), fc.integer());
      break;
    case 'boolean':
      shaped = fc.boolean();
      break;
    default:
      shaped = fc.jsonValue({ maxDepth: 2 });
  }
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: garbage });
}

const mediaType = (h: string) => h.split(';')[0]!.trim().toLowerCase();

/** Check one answer against its operation's declaration. */
export function problemWith(op: Operation, status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return 'server error';
  const declared = op.responses?.[String(status)] ?? op.responses?.[`${String(status)[0]}XX`] ?? op.responses?.default;
  if (!declared) return `status ${status} is not declared`;
  const type = mediaType(contentType);
  if (text.length && type && !(type in (declared.content ?? {}))) return `content type ${type} is not declared for ${status}`;
  return undefined;
}

/** Fuzz every operation of a document; returns what broke a property (empty when clean). */
export async function fuzzDocument(doc: OpenApiDoc, target: Target, opts: FuzzOptions): Promise<{ findings: Finding[]; requests: number }> {
  const findings: Finding[] = [];
  const deadline = opts.timeLimitMs !== undefined ? Date.now() + opts.timeLimitMs : Infinity;
  let requests = 0;
  let opIndex = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      opIndex++;
      if (Date.now() > deadline) return { findings, requests };
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const hasBody = method !== 'get' && method !== 'delete';
      const request = fc.record({
        // (a '..' segment is resolved away by URL parsing: the request would address another path, not this operation)
        params: fc.tuple(...pathParams.map(() => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...opts.ids) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY.filter((v) => v && v !== '..')) }))),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...NASTY), fc.integer({ min: -3, max: 1000 }).map(String))])), { requiredKeys: [] }),
        body: hasBody ? fc.oneof({ weight: 4, arbitrary: fromSchema(doc, bodySchema).map((v) => JSON.stringify(v) ?? 'null') }, { weight: 1, arbitrary: fc.constantFrom('{"a":', '', '[', 'not json', '{"a":1}}') }) : fc.constant(undefined),
        token: fc.oneof({ weight: 9, arbitrary: fc.constant(opts.token) }, { weight: 1, arbitrary: fc.constantFrom('', 'garbage', `${opts.token}x`) }),
      });
      let stop = false;
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          if (stop) return;
          let i = 0;
          const concrete = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(r.params[i++])));
          const q = new URLSearchParams(r.query as Record<string, string>).toString();
          const url = concrete + (q ? `?${q}` : '');
          const headers: Record<string, string> = {};
          if (r.token) headers.authorization = `Bearer ${r.token}`;
          if (r.body !== undefined) headers['content-type'] = 'application/json';
          opts.beforeEach?.();
          const res = await target.send(method.toUpperCase(), url, { headers, body: r.body });
          requests++;
          const problem = problemWith(op, res.status, res.contentType, res.text);
          if (problem) {
            findings.push({ request: `${method.toUpperCase()} ${url} ${r.body?.slice(0, 200) ?? ''}`, status: res.status, contentType: res.contentType, problem, body: res.text.slice(0, 300) });
            stop = true; // one finding per operation is enough to act on
          }
          if (Date.now() > deadline) stop = true;
        }),
        { seed: opts.seed + opIndex, numRuns: opts.runsPerOperation, endOnFailure: true },
      );
    }
  }
  return { findings, requests };
}

/** Ids of real objects in a state document: `_id`/`id` values of the first items of every array (and ESV names). */
export function realIds(state: unknown, limit = 40): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (out.size >= limit || depth > 4 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v.slice(0, 2)) {
        if (item && typeof item === 'object') for (const k of ['_id', 'id']) if (typeof (item as Record<string, unknown>)[k] === 'string') out.add((item as Record<string, string>)[k]!);
        walk(item, depth + 1);
      }
      return;
    }
    for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(state, 0);
  for (const fixed of ['alpha', 'root', '1', '2', 'certify', 'revoke', 'ROLE']) out.add(fixed);
  return [...out];
}
