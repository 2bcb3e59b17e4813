// The request plumbing every area shares (DESIGN.md "One request's path"): read a JSON body, send a fixed body,
// turn a zod failure into the product's 400, and the acting principal set once by the auth middleware.
// One entry per product error shape — CREST (AIC platform), env (ESV/promotion `{code,message}`), IGA `{message}`,
// ISC `{detailCode,…}` and the control plane's `{error}` — so an area never writes its own.
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ApiError, adminError, crestError, envError, igaError, iscBadRequest } from './errors.js';
import type { AppEnv, EnvApp } from './types.js';

/** The error body families: one per product API (see core/errors.ts for their shapes). */
export type ErrorShape = 'crest' | 'env' | 'iga' | 'isc' | 'admin';

/**
 * Declare the error body family of the routes it guards: domain errors (NotFound, Invalid, Conflict…) thrown while
 * handling the request are rendered in this shape by the app's error handler. Put it first in a route's middleware.
 */
export function errorShape(shape: ErrorShape) {
  // synchronous: no promise of its own per request
  if (shape === 'iga') {
    return createMiddleware<AppEnv>((c, next) => {
      c.set('errorShape', shape);
      emptyJsonBodyAsObject(c);
      return next();
    });
  }
  return createMiddleware<AppEnv>((c, next) => {
    c.set('errorShape', shape);
    return next();
  });
}

/**
 * IGA reads an empty body sent as `application/json` as `{}` (recording iga-certification-templates: frodo's
 * `POST …/template/search` with that content type and no body answers 200), as a JSON body parser of a Node service
 * does: the body text becomes `{}` for every later reader (the zod validators, jsonObject, bodyTextOf). Put after the
 * limits middleware, which has read the body (core/limits.ts).
 */
export function emptyJsonBodyAsObject(c: Context<AppEnv>): void {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return;
  const text = c.get('bodyText');
  if (text !== undefined && text.trim() !== '') return;
  const type = c.req.header('content-type');
  if (type === undefined || !JSON_MEDIA.test(type.split(';')[0]!.trim())) return;
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve('{}');
  c.set('bodyText', '{}');
}

/**
 * Route middleware that only act before next() — errorShape, the auth guards, a precondition — as one layer of Hono's
 * dispatch (issue #17: each layer costs Hono an async call, its promises and a closure per request). Each member must
 * `return next()` (or throw) and do nothing after it: a throw reaches the app's error handler exactly as from its own layer.
 */
export function oneLayer(...members: MiddlewareHandler<AppEnv>[]): MiddlewareHandler<AppEnv> {
  if (members.length === 1) return members[0]!;
  return (c, next) => {
    let i = 0;
    const step = (): Promise<void> => (i < members.length ? (members[i++]!(c, step) as Promise<void>) : next());
    return step();
  };
}

type JsonObject = Record<string, unknown>;

/** What each shape answers for a body that is not JSON, or not the JSON object a route needs. */
const BODY_ERRORS: Record<ErrorShape, { notJson: () => ApiError; notObject: () => ApiError }> = {
  // AM/IDM's own text for unparsable content (also what app.ts renders for Hono's JSON errors)
  crest: { notJson: () => crestError(400, 'The request could not be processed because the provided content is not valid JSON'), notObject: () => crestError(400, 'The request body must be a JSON object') },
  // docs/esv.md "Errors": `The request body is not valid JSON`
  env: { notJson: () => envError(400, 'The request body is not valid JSON'), notObject: () => envError(400, 'The request body must be a JSON object') },
  iga: { notJson: () => igaError(400, 'The request body is not valid JSON'), notObject: () => igaError(400, 'The request body must be a JSON object') },
  // S2: the reason of an ISC 400 goes into `causes`
  isc: { notJson: () => iscBadRequest('The request body could not be parsed as JSON.'), notObject: () => iscBadRequest('The request body must be a JSON object.') },
  admin: { notJson: () => adminError(400, 'body is not valid JSON'), notObject: () => adminError(400, 'body must be a JSON object') },
};

/** The shape's answer for a body that is not JSON (also what app.ts renders for Hono's JSON validator errors). */
export const notJsonError = (shape: ErrorShape): ApiError => BODY_ERRORS[shape].notJson();

export interface BodyOptions {
  /** An empty body is an error (the shape's "not JSON" answer) instead of reading as `{}`. */
  required?: boolean;
}

/** Parse JSON text in the shape's error format; empty text reads as `{}` unless `required`. */
export function parseJsonText(text: string, shape: ErrorShape, opts: BodyOptions = {}): unknown {
  if (!text.trim() && !opts.required) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw BODY_ERRORS[shape].notJson();
  }
}

/**
 * The body text as the limits middleware read it (core/limits.ts requestLimits keeps it beside Hono's body cache), or
 * undefined when it read none (no body, a form, an in-process request without one): synchronous, where every
 * `await c.req.text()` is a promise step (issue #17: a PUT's path).
 */
export function bodyTextOf(c: Context<AppEnv>): string | undefined {
  return c.get('bodyText');
}

/**
 * `JSON.parse` of the body text `text` (bodyTextOf), made once per request (issue #17: the ESV guard checks the body is
 * JSON, then the body validator reads it): a SyntaxError is thrown to the caller. The value is shared by every reader of
 * this request: none may change it (the schema's parse makes the handler's own objects).
 */
function parsedBody(c: Context<AppEnv>, text: string): unknown {
  let v = c.get('bodyJson');
  if (v === undefined) {
    // JSON.parse never answers undefined: undefined means not parsed yet
    v = JSON.parse(text) as unknown;
    c.set('bodyJson', v);
  }
  return v;
}

/**
 * jsonBody without a promise when the body text was read (bodyTextOf): the same value or error, thrown synchronously;
 * undefined when the text is not known (then call jsonBody). A route guard's check only: the value is shared with the
 * body validator (parsedBody), so the caller must not change it.
 */
export function checkJsonBodyNow(c: Context<AppEnv>, shape: ErrorShape, opts: BodyOptions = {}): boolean {
  const text = bodyTextOf(c);
  if (text === undefined) return false;
  if (!text.trim() && !opts.required) return true;
  try {
    parsedBody(c, text);
  } catch {
    throw BODY_ERRORS[shape].notJson();
  }
  return true;
}

/** The request body as JSON (any value); errors in the product's shape. */
export async function jsonBody(c: Context<AppEnv>, shape: ErrorShape, opts?: BodyOptions): Promise<unknown> {
  return parseJsonText(await c.req.text(), shape, opts);
}

/** The request body as a JSON object; anything else (array, scalar) is the shape's 400. */
export async function jsonObject(c: Context<AppEnv>, shape: ErrorShape, opts?: BodyOptions): Promise<JsonObject> {
  const body = await jsonBody(c, shape, opts);
  if (!isJsonObject(body)) throw BODY_ERRORS[shape].notObject();
  return body;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The body of a handler that validates by hand (plain Hono routes, optional bodies): JSON (empty reads as `{}`)
 * checked by `schema`; a failure is the shape's validation 400 — the same answer a declared route schema gives.
 */
export async function validBody<T>(c: Context<AppEnv>, shape: ErrorShape, schema: z.ZodType<T>, opts?: BodyOptions): Promise<T> {
  const res = schema.safeParse(await jsonBody(c, shape, opts));
  if (!res.success) throw validationError(shape, res.error.issues as Issue[]);
  return res.data;
}

/** The control plane's body: `{error:'invalid body', details:[{path, message}]}` when it does not fit `schema`. */
export const adminBody = <T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> => validBody(c, 'admin', schema);

/** `content-type` values the products answer with (recordings differ per API; keep each byte as recorded). */
export const JSON_TYPE = { 'content-type': 'application/json' } as const;
/** AM OAuth2, IDM, ISC: `application/json;charset=utf-8`. */
export const JSON_UTF8 = { 'content-type': 'application/json;charset=utf-8' } as const;
/** recording iga-certification-templates: IGA answers `application/json; charset=utf-8` with `cache-control: no-store`. */
export const IGA_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;
/** IDM config reads: no-store, without IGA's space before charset. */
export const IDM_HEADERS = { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store' } as const;

/**
 * Answer with a fixed JSON body, status and headers (bypassing the typed responses of zod-openapi routes, whose
 * handlers must return one of the declared shapes). `headers` (one of the constants above, plus any extras) are laid
 * over `content-type: application/json`.
 */
export function send(c: Context<AppEnv>, body: unknown, status: 200 | 201 | 202 | 400 | 401 | 404 = 200, headers: Record<string, string> = {}): never {
  return c.body(JSON.stringify(body), status, { ...JSON_TYPE, ...headers }) as never;
}

/** The header c.json() sets, spelled as Hono spells it (a Node listener writes the name as given). */
const HONO_JSON = { 'Content-Type': 'application/json' } as const;

/**
 * What `c.json(value, status)` answers, from `JSON.stringify(value)` made before (core/viewCache.ts keeps such texts):
 * the same status, headers (with those set by c.header() before) and bytes.
 */
export function jsonText(c: Context<AppEnv>, text: string, status?: 200): never {
  // never, as send(): typed zod-openapi handlers accept it in place of their declared c.json() responses
  return c.body(text, status as 200, HONO_JSON) as never;
}

/**
 * The request's query string as sent (after `?`; '' for none): a key for answers that depend on the query (two
 * requests with the same one read the same parameters). Undefined for a URL with a `#` (never sent by clients; not
 * worth reasoning about how the query is then read): such a request is not answered from a kept view.
 */
export function rawQuery(c: Context<AppEnv>): string | undefined {
  const url = c.req.url;
  if (url.includes('#')) return undefined;
  const q = url.indexOf('?', 8);
  return q === -1 ? '' : url.slice(q + 1);
}

/** The first zod issue as `path: message` (the text every product's 400 carries). */
export function issueText(issues: ReadonlyArray<Issue> | undefined, fallback = 'Invalid request'): string {
  const issue = issues?.[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue?.message ?? fallback}`;
}

type Issue = { path: PropertyKey[]; message: string };
type HookResult = { success: boolean; error?: { issues: Issue[] } };

/** The error a zod failure becomes, per shape. */
export function validationError(shape: ErrorShape, issues: ReadonlyArray<Issue>): ApiError {
  switch (shape) {
    case 'crest':
      return crestError(400, issueText(issues));
    case 'env':
      // recordings esv-*: `{"code":400,"message":…}`
      return envError(400, issueText(issues));
    case 'iga':
      return igaError(400, `Invalid request: ${issueText(issues, '')}`);
    case 'isc':
      return iscBadRequest(issueText(issues));
    case 'admin':
      return adminError(400, 'invalid body', issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  }
}

/**
 * The hooks made here (validationHook, productMessageHook): they answer nothing for a successful result, so the
 * validators of fastOpenapi skip calling them then (issue #17: no argument object built per request).
 */
const QUIET_ON_SUCCESS = new WeakSet<object>();

/**
 * zod-openapi validation hook: a failed request schema becomes the shape's 400 (thrown, so the app's error handler
 * renders it with the area's headers). Pass as `hook` on a route or `defaultHook` on an app.
 */
export function validationHook(shape: ErrorShape) {
  const hook = (result: HookResult) => {
    if (result.success) return;
    throw validationError(shape, result.error?.issues ?? []);
  };
  QUIET_ON_SUCCESS.add(hook);
  return hook as never;
}

/**
 * The hook of a route whose schemas carry the product's own sentences as their messages (`z.string({ error: 'The
 * source query parameter is required' })`): a failure is the shape's 400 with the first message as written, without
 * the `path: ` prefix. Every check of such a schema must name its message — or pass `fields`, the keys (query, path
 * or body) whose checks do: a failure of any other key keeps the shape's validation 400 (validationHook).
 */
export function productMessageHook(shape: ErrorShape, fields?: readonly string[]) {
  const hook = (result: HookResult) => {
    if (result.success) return;
    const issues = result.error?.issues ?? [];
    const issue = issues[0];
    if (fields && !(issue?.path.length && fields.includes(String(issue.path[0])))) throw validationError(shape, issues);
    const message = issue?.message ?? 'Invalid request';
    // IGA's generic 400 prefixes zod's words with "Invalid request: "; the product's own sentences stand alone
    throw shape === 'iga' ? igaError(400, message) : validationError(shape, [{ path: [], message }]);
  };
  QUIET_ON_SUCCESS.add(hook);
  return hook as never;
}

// ---------------------------------------------------------------- query and path parameters without zod per request

type Fields = Record<string, string | string[]>;
/** How a field of a plain parameter schema is checked: any string, or one of a set of strings. */
type FieldCheck = true | ReadonlySet<string>;
type ZodLike = { _zod: { def: { type: string; shape?: Record<string, ZodLike>; innerType?: ZodLike; entries?: Record<string, unknown>; checks?: unknown[]; catchall?: unknown } } };

/**
 * The fields of a query or path schema that can be checked without zod: a z.object without checks whose every field
 * is a string (optional for a query, required for a path) or a string enum, without checks of their own. Undefined
 * for any other schema (it is always parsed by zod).
 */
function plainFields(schema: unknown, optional: boolean): Map<string, FieldCheck> | undefined {
  const def = (schema as ZodLike | undefined)?._zod?.def;
  if (def?.type !== 'object' || !def.shape || def.catchall !== undefined || def.checks?.length) return undefined;
  const out = new Map<string, FieldCheck>();
  for (const [key, field] of Object.entries(def.shape)) {
    let d = field._zod.def;
    if (optional) {
      if (d.type !== 'optional' || d.checks?.length || !d.innerType) return undefined;
      d = d.innerType._zod.def;
    }
    if (d.checks?.length) return undefined;
    if (d.type === 'string') out.set(key, true);
    else if (d.type === 'enum' && d.entries && Object.values(d.entries).every((v) => typeof v === 'string')) out.set(key, new Set(Object.values(d.entries) as string[]));
    else return undefined;
  }
  return out;
}

/**
 * What zod answers for `value` under a plain schema (plainFields), or undefined when zod must decide: every key of
 * `value` is a field of the schema holding a string it accepts. The data has the schema's key order, as zod's has.
 */
function plainParse(fields: Map<string, FieldCheck>, value: Fields, optional: boolean): Record<string, string> | undefined {
  let n = 0;
  for (const key in value) {
    const check = fields.get(key);
    const v = value[key];
    if (check === undefined || typeof v !== 'string' || (check !== true && !check.has(v))) return undefined;
    n++;
  }
  if (!optional && n !== fields.size) return undefined;
  const data: Record<string, string> = {};
  if (n === 0) return data;
  for (const key of fields.keys()) if (Object.hasOwn(value, key)) data[key] = value[key] as string;
  return data;
}

type ParamHook = (result: Record<string, unknown>, c: Context<AppEnv>) => unknown;
type ParamTarget = { target: 'query' | 'param'; schema: z.ZodType; fields: Map<string, FieldCheck> | undefined };

/** At most this many query strings per route whose plain parse is kept (distinct queries); more start over. */
const KEPT_QUERIES = 64;

/**
 * One middleware validating a route's query and path parameters as @hono/zod-openapi's validators do (query first,
 * then path; the same value, the same hook call, the same validated data), without their layers (an async middleware,
 * an async zod parse and an awaited hook each, per request): a plain schema (plainFields) is checked directly when the
 * request's values fit it, and zod parses everything else — so every failure, and its 400, is zod's as before.
 */
function paramValidator(targets: ParamTarget[], hookOf: () => ParamHook | undefined): MiddlewareHandler<AppEnv> {
  const valueOf = (c: Context<AppEnv>, target: 'query' | 'param'): Fields => {
    if (target === 'param') return c.req.param() as Fields;
    // hono/validator's query value: each key's values, a single one unwrapped
    if (c.req.url.indexOf('?', 8) === -1) return {};
    return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0]!] : [k, v])));
  };
  // @hono/zod-validator's answer for one target: the hook sees {data, ...result, target}; a Response it returns answers
  const finish = (c: Context<AppEnv>, t: ParamTarget, value: Fields, result: { success: boolean; data?: unknown; error?: unknown }): Response | undefined | Promise<Response | undefined> => {
    const hook = hookOf();
    const after = (hookResult: unknown): Response | undefined => {
      if (hookResult) {
        if (hookResult instanceof Response) return hookResult;
        if (typeof hookResult === 'object' && 'response' in hookResult) return (hookResult as { response: Response }).response;
      }
      if (!result.success) return c.json(result, 400);
      c.req.addValidatedData(t.target, result.data as object);
      return undefined;
    };
    if (!hook || (result.success && QUIET_ON_SUCCESS.has(hook))) return after(undefined);
    const hookResult = hook({ data: value, ...result, target: t.target }, c);
    return hookResult instanceof Promise ? hookResult.then(after) : after(hookResult);
  };
  const slow = async (c: Context<AppEnv>, from: number, next: () => Promise<void>): Promise<Response | void> => {
    for (let i = from; i < targets.length; i++) {
      const t = targets[i]!;
      const value = valueOf(c, t.target);
      const data = t.fields && plainParse(t.fields, value, t.target === 'query');
      const res = await finish(c, t, value, data ? { success: true, data } : await t.schema.safeParseAsync(value));
      if (res) return res;
    }
    return next();
  };
  // the plain parse of a query string, by the string itself (issue #17: hono's queries() decodes the URL into arrays,
  // and they are copied into an object, on every request; the same string always parses to the same data). Only
  // successes are kept, and only used when the hook is not called for a success (it would see the parsed value);
  // undefined (a URL with a fragment, a query the plain parse leaves to zod) takes the way without the kept parses.
  const keptQueries = new Map<string, Record<string, string>>();
  const keptQuery = (c: Context<AppEnv>, t: ParamTarget): Record<string, string> | undefined => {
    const url = c.req.url;
    // a URL with a fragment is parsed every time (rawQuery's rule)
    if (url.indexOf('#') !== -1) return undefined;
    const q = url.indexOf('?', 8);
    if (q === -1) return {};
    const raw = url.slice(q + 1);
    let data = keptQueries.get(raw);
    if (data === undefined) {
      data = plainParse(t.fields!, valueOf(c, 'query'), true);
      if (data === undefined) return undefined;
      if (keptQueries.size >= KEPT_QUERIES) keptQueries.clear();
      keptQueries.set(raw, data);
    }
    // each request its own object, as a parse gives (a handler may change what it validated)
    return { ...data };
  };
  return (c, next) => {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      if (t.target === 'query' && t.fields !== undefined) {
        const hook = hookOf();
        const data = !hook || QUIET_ON_SUCCESS.has(hook) ? keptQuery(c, t) : undefined;
        if (data !== undefined) {
          // what finish() does for a success when the hook is not called
          c.req.addValidatedData('query', data);
          continue;
        }
      }
      const value = valueOf(c, t.target);
      const data = t.fields && plainParse(t.fields, value, t.target === 'query');
      if (!data) return slow(c, i, next);
      const res = finish(c, t, value, { success: true, data });
      if (res instanceof Promise) return res.then((r) => r ?? slow(c, i + 1, next));
      if (res) return Promise.resolve(res);
    }
    return next();
  };
}

type OpenapiRoute = { method: string; path: string; middleware?: MiddlewareHandler<AppEnv> | MiddlewareHandler<AppEnv>[]; hide?: boolean; request?: { query?: unknown; params?: unknown; body?: unknown } & Record<string, unknown> };
type BodyHook = (result: Record<string, unknown>, c: Context<AppEnv>) => unknown;

// @hono/zod-openapi's test of a request's content type against a declared JSON media type (its jsonRequestRegex), and
// hono/validator's test of the media type it then parses as JSON (its jsonRegex, on the lower-cased part before `;`)
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * The schema of a body fastOpenapi checks itself: a required body whose only media type is `application/json` with a
 * zod schema. Undefined for anything else (left to @hono/zod-openapi's validators).
 */
function plainJsonBody(body: unknown): z.ZodType | undefined {
  const b = body as { content?: Record<string, { schema?: unknown }>; required?: boolean } | undefined;
  if (!b?.required || !b.content) return undefined;
  const types = Object.keys(b.content);
  if (types.length !== 1 || types[0] !== 'application/json') return undefined;
  const schema = b.content['application/json']?.schema;
  return schema instanceof z.ZodType ? schema : undefined;
}

/**
 * @hono/zod-openapi's own body middlewares for `body` (its media-type gate, then its JSON validator), taken from a
 * scratch app whose route registration is captured instead of added: the answer of every request the fast path
 * (bodyValidator) leaves to them is theirs, byte for byte.
 */
function zodOpenapiBodyLayers(method: string, path: string, body: unknown, hook: BodyHook): MiddlewareHandler<AppEnv>[] {
  const scratch = new OpenAPIHono<AppEnv>();
  let captured: MiddlewareHandler<AppEnv>[] = [];
  (scratch as unknown as { on: unknown }).on = (_m: unknown, _p: unknown, ...handlers: MiddlewareHandler<AppEnv>[]) => {
    captured = handlers;
    return scratch;
  };
  scratch.openapi({ method, path, hide: true, request: { body }, responses: {} } as never, (() => undefined) as never, hook as never);
  // [gate, validator, handler]: the handler is the scratch one
  return captured.slice(0, -1);
}

/**
 * One middleware checking a required JSON body as @hono/zod-openapi's media-type gate and JSON validator do (issue #17:
 * those are two async layers per body route, and the validator parses the text again and awaits zod and the hook):
 * when the body text was read (bodyTextOf), the content type is one the gate lets through and the schema parses
 * synchronously, the same checks run here without a promise — 400 `Malformed JSON in request body` for text that is
 * not JSON, the hook called with the same result, zod-validator's 400 without one, the same validated data. Anything
 * else (no content type, a refused one, an async schema, an async hook's answer) is answered by their own layers.
 */
function bodyValidator(schema: z.ZodType, slowLayers: MiddlewareHandler<AppEnv>[], hook: BodyHook, quiet: () => boolean): MiddlewareHandler<AppEnv> {
  const [gate, validate] = slowLayers as [MiddlewareHandler<AppEnv>, MiddlewareHandler<AppEnv>];
  // the two as their own layers would run: what the validator answers (a 400, a hook's Response) becomes the response,
  // as Hono's compose (and core/router.ts composeChain) make a layer's result c.res when nothing answered yet
  const slow = (c: Context<AppEnv>, next: () => Promise<void>) =>
    gate(c, () =>
      Promise.resolve(validate(c, next)).then((res) => {
        if (res && c.finalized === false) c.res = res as Response;
      }),
    );
  return (c, next) => {
    const text = bodyTextOf(c);
    const contentType = text === undefined ? undefined : c.req.header('content-type');
    if (contentType === undefined || !JSON_REQUEST.test(contentType) || !JSON_MEDIA.test(contentType.split(';')[0]!.trim().toLowerCase())) return slow(c, next);
    let value: unknown;
    try {
      value = parsedBody(c, text!);
    } catch {
      // hono/validator's answer for a JSON content type whose body does not parse
      throw new HTTPException(400, { message: 'Malformed JSON in request body' });
    }
    let result: ReturnType<z.ZodType['safeParse']>;
    try {
      result = schema.safeParse(value);
    } catch (e) {
      // a schema with async checks: zod-validator's safeParseAsync decides (the same parse, from the start)
      if (e instanceof z.core.$ZodAsyncError) return slow(c, next);
      throw e;
    }
    // @hono/zod-validator from here: the hook sees {data, ...result, target}; a Response it returns answers
    const after = (hookResult: unknown): unknown => {
      if (hookResult) {
        if (hookResult instanceof Response) return hookResult;
        if ('response' in (hookResult as object)) return (hookResult as { response: Response }).response;
      }
      if (!result.success) return c.json(result, 400);
      c.req.addValidatedData('json', result.data as object);
      return next();
    };
    // a hook of ours answers nothing for a success: not called then (validationHook)
    if (result.success && quiet()) return after(undefined) as Promise<void>;
    const hookResult = hook({ data: value, ...result, target: 'json' }, c);
    return (hookResult instanceof Promise ? (hookResult as Promise<unknown>).then(after) : after(hookResult)) as Promise<void>;
  };
}

/**
 * `app.openapi` for routes whose query and path parameters are checked by paramValidator instead of a validator layer
 * each (issue #17), and whose required JSON body is checked by bodyValidator instead of zod-openapi's two layers: the
 * same OpenAPI document (the route is registered as declared), the same middleware order, hook, validated data and
 * 400s/415s. Other bodies, headers and cookies keep @hono/zod-openapi's validators.
 */
export function fastOpenapi(app: EnvApp): EnvApp['openapi'] {
  return ((route: OpenapiRoute, handler: unknown, hook?: ParamHook) => {
    const { query, params, body, ...others } = route.request ?? {};
    // a body is taken over only when no header or cookie validator would run before it
    const bodySchema = Object.keys(others).length === 0 ? plainJsonBody(body) : undefined;
    if (query === undefined && params === undefined && bodySchema === undefined) return (app.openapi as (...a: unknown[]) => EnvApp)(route, handler, hook);
    const { middleware, hide, ...doc } = route;
    if (!hide) app.openAPIRegistry.registerPath(doc as never);
    const own: MiddlewareHandler<AppEnv>[] = [];
    const targets: ParamTarget[] = [];
    if (query) targets.push({ target: 'query', schema: query as z.ZodType, fields: plainFields(query, true) });
    if (params) targets.push({ target: 'param', schema: params as z.ZodType, fields: plainFields(params, false) });
    // zod-openapi's effective hook: the route's, else the app's default (read per request, as it does)
    if (targets.length) own.push(paramValidator(targets, () => hook ?? (app.defaultHook as ParamHook | undefined)));
    const request: Record<string, unknown> = { ...others };
    if (bodySchema) {
      const effective: BodyHook = hook ?? ((result, c) => (app.defaultHook as BodyHook | undefined)?.(result, c));
      // the effective hook is one of ours (or none): read per request, as the app's default is
      const quiet = () => {
        const h = hook ?? app.defaultHook;
        return h === undefined || QUIET_ON_SUCCESS.has(h);
      };
      own.push(bodyValidator(bodySchema, zodOpenapiBodyLayers(route.method, route.path, body, effective), effective, quiet));
    } else if (body !== undefined) request.body = body;
    const before = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
    return (app.openapi as (...a: unknown[]) => EnvApp)({ ...doc, hide: true, middleware: [...before, ...own], request }, handler, hook);
  }) as EnvApp['openapi'];
}
