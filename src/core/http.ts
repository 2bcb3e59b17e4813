// The request plumbing every area shares (DESIGN.md "One request's path"): read a JSON body, send a fixed body,
// turn a zod failure into the product's 400, and the acting principal set once by the auth middleware.
// One entry per product error shape — CREST (AIC platform), env (ESV/promotion `{code,message}`), IGA `{message}`,
// ISC `{detailCode,…}` and the control plane's `{error}` — so an area never writes its own.
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import { ApiError, adminError, crestError, envError, igaError, iscBadRequest } from './errors.js';
import type { AppEnv } from './types.js';

/** The error body families: one per product API (see core/errors.ts for their shapes). */
export type ErrorShape = 'crest' | 'env' | 'iga' | 'isc' | 'admin';

/**
 * Declare the error body family of the routes it guards: domain errors (NotFound, Invalid, Conflict…) thrown while
 * handling the request are rendered in this shape by the app's error handler. Put it first in a route's middleware.
 */
export function errorShape(shape: ErrorShape) {
  // synchronous: no promise of its own per request
  return createMiddleware<AppEnv>((c, next) => {
    c.set('errorShape', shape);
    return next();
  });
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
 * zod-openapi validation hook: a failed request schema becomes the shape's 400 (thrown, so the app's error handler
 * renders it with the area's headers). Pass as `hook` on a route or `defaultHook` on an app.
 */
export function validationHook(shape: ErrorShape) {
  return ((result: HookResult) => {
    if (result.success) return;
    throw validationError(shape, result.error?.issues ?? []);
  }) as never;
}

/**
 * The hook of a route whose schemas carry the product's own sentences as their messages (`z.string({ error: 'The
 * source query parameter is required' })`): a failure is the shape's 400 with the first message as written, without
 * the `path: ` prefix. Every check of such a schema must name its message — or pass `fields`, the keys (query, path
 * or body) whose checks do: a failure of any other key keeps the shape's validation 400 (validationHook).
 */
export function productMessageHook(shape: ErrorShape, fields?: readonly string[]) {
  return ((result: HookResult) => {
    if (result.success) return;
    const issues = result.error?.issues ?? [];
    const issue = issues[0];
    if (fields && !(issue?.path.length && fields.includes(String(issue.path[0])))) throw validationError(shape, issues);
    const message = issue?.message ?? 'Invalid request';
    // IGA's generic 400 prefixes zod's words with "Invalid request: "; the product's own sentences stand alone
    throw shape === 'iga' ? igaError(400, message) : validationError(shape, [{ path: [], message }]);
  }) as never;
}
