// The reference material the tests replay, vendored in test/reference/ (provenance in its README): recordings of real
// tenant traffic, the ISC OpenAPI contracts and extracts of the seed documents. Nothing outside the repository is read:
// a missing file fails the test that needs it (never a skip).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

export const REFERENCE_DIR = fileURLToPath(new URL('./reference/', import.meta.url));
export const RECORDINGS_DIR = `${REFERENCE_DIR}recordings/`;
export const ISC_CONTRACT_PATH = `${REFERENCE_DIR}isc/isc-v3-certifications-access-requests.openapi.json`;

/** A vendored reference file, parsed (path relative to test/reference/). */
export function loadReference<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(REFERENCE_DIR + path, 'utf8')) as T;
}

/** One recorded HTTP exchange (test/reference/README.md). */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  requestHeaders: Record<string, string>;
  requestBody: any;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: any;
}

/** Exchanges grouped by test case, as the recording files hold them. */
export type Recording = Record<string, Exchange[]>;

export function loadRecording(file: string): Recording {
  return JSON.parse(readFileSync(RECORDINGS_DIR + file, 'utf8')) as Recording;
}

export type ContractDoc = {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
};

/** An ISC contract from test/reference/isc/ (default: the certifications contract). */
export function loadIscContract(file = 'isc-v3-certifications-access-requests.openapi.json'): ContractDoc {
  return loadReference<ContractDoc>(`isc/${file}`);
}

export interface ContractAjv {
  addSchema(s: object, k: string): void;
  compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
  addFormat(n: string, f: boolean | RegExp): void;
}

/** An ajv instance holding the contract as schema `contract` (the contract's custom formats are accepted as-is). */
export function contractAjv(doc: ContractDoc, extraFormats: string[] = []): ContractAjv {
  const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => ContractAjv;
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: unknown) => void;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', ...extraFormats]) ajv.addFormat(f, true);
  ajv.addSchema(openApiNullables(doc) as object, 'contract');
  return ajv;
}

/**
 * OpenAPI 3.0's `nullable` without a `type` (`allOf: [{$ref}, {nullable: true}]`, `{$ref, nullable: true}`) means
 * "this schema, or null"; ajv only accepts `nullable` beside `type`, so rewrite those spots as `anyOf [schema, null]`.
 */
export function openApiNullables(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiNullables);
  if (!node || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const bare = (x: unknown) => !!x && typeof x === 'object' && (x as Record<string, unknown>).nullable === true && (x as Record<string, unknown>).type === undefined && (x as Record<string, unknown>).$ref === undefined && !('allOf' in (x as object));
  if (Array.isArray(src.allOf) && src.allOf.some(bare)) {
    const { allOf, ...others } = src;
    const rest = (allOf as unknown[]).filter((x) => !bare(x)).map(openApiNullables);
    return { ...(openApiNullables(others) as object), anyOf: [{ allOf: rest }, { type: 'null' }] };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) out[k] = openApiNullables(v);
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _n, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

/** A checker validating `body` against the contract response of operation `path`/`method` with `status`. */
export function contractValidator(doc: ContractDoc, extraFormats: string[] = []) {
  const ajv = contractAjv(doc, extraFormats);
  const compiled = new Map<string, ReturnType<ContractAjv['compile']>>();
  return (path: string, method: string, status: number, body: unknown) => {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`no operation ${method} ${path} in the contract`);
    let resp = op.responses[String(status)];
    if (!resp) throw new Error(`${method} ${path}: status ${status} not in the contract`);
    if (resp.$ref) resp = doc.components.responses[resp.$ref.split('/').pop()!]!;
    const schema = resp.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} ${status}: no JSON schema`);
    const key = `${method} ${path} ${status}`;
    let validate = compiled.get(key);
    if (!validate) {
      // re-root the schema's $refs on the contract document (the response schema itself goes through openApiNullables)
      const rooted = openApiNullables(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"contract#/components/'))) as object;
      compiled.set(key, (validate = ajv.compile(rooted)));
    }
    const ok = validate(body);
    return { ok, errors: validate.errors };
  };
}
