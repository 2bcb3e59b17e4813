// Request size and shape limits applied before any route parses a body (issue #19 items 2 and 5): a body larger than
// its route class allows answers 413, and a JSON body nested deeper than MAX_JSON_DEPTH answers 400, both in the
// product's own error body. Nothing here runs for a request without a body (GETs stay on the fast path).
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IncomingMessage } from 'node:http';
import type { AppEnv } from './types.js';
import { requestHeader } from './requestHeader.js';
import { ApiError, crestError, envError, igaError, iscError, type Product } from './errors.js';

/**
 * Jackson's default `StreamReadConstraints.maxNestingDepth` (2.15+), the parser behind both products' Java services:
 * deeper documents are refused there before any code walks them, and so they are here.
 */
export const MAX_JSON_DEPTH = 1000;
export const MB = 1024 * 1024;

export interface BodyLimits {
  /** Product API routes (default 1 MiB). */
  api: number;
  /** The control plane (`/__emulator`: seed documents can be large; default 64 MiB). */
  controlPlane: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { api: 1 * MB, controlPlane: 64 * MB };

/** `1mb`, `512kb`, `2048` (bytes) → bytes; undefined when the text is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|kib|mb|m|mib|gb|g|gib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('g') ? 1024 * MB : unit.startsWith('m') ? MB : unit.startsWith('k') ? 1024 : 1;
  const n = Math.floor(Number(m[1]) * factor);
  return n > 0 ? n : undefined;
}

/**
 * The nesting depth at which `text` (JSON or not) exceeds `max`, scanning once without recursion: brackets inside
 * strings do not count. Returns undefined when it stays within the limit.
 */
export function jsonDepthExceeded(text: string, max = MAX_JSON_DEPTH): number | undefined {
  // each level opens with a character: a text no longer than `max` cannot nest deeper (issue #17: no scan of the
  // usual small body)
  if (text.length <= max) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > max) return depth;
    } else if (ch === 93 /* ] */ || ch === 125 /* } */) depth--;
  }
  return undefined;
}

/**
 * The error a product shows on a path for a generic status, in the body shape of the API family that owns the path:
 * AIC environment API `{code,message}` (esv-* recordings), IGA `{message}` (iga-* recordings), CREST elsewhere; ISC
 * `{detailCode,trackingId,messages}`; the control plane's own `{error}`.
 */
export function wireError(product: Product, path: string, status: ContentfulStatusCode, message: string): ApiError {
  if (path.startsWith('/__emulator')) return new ApiError(status, { error: message });
  if (product === 'isc') return iscError(status, message);
  if (path.startsWith('/environment/')) return envError(status, message);
  if (path.startsWith('/iga/') || path.startsWith('/openidm/iga/')) return igaError(status, message);
  return crestError(status, message);
}

function refuse(c: Context<AppEnv>, err: ApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(err.body as object, err.status);
}

const tooLarge = (max: number) => `The request body exceeds the maximum size of ${max} bytes`;

/** Read a body of unknown length (chunked), stopping as soon as it passes `max` bytes. */
async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.length;
  }
  return out;
}

/** The Node request on a listener (@hono/node-server passes it as c.env.incoming). */
type Incoming = IncomingMessage & { rawBody?: Buffer };

const decoder = new TextDecoder();

/**
 * A body of declared length, read straight from the Node request (no web stream, no second Request object: issue #17,
 * writes) and kept as its `rawBody`, which @hono/node-server hands to any later reader of the raw request (body,
 * clone, text). Node's parser never delivers more than the declared length.
 */
function readIncoming(incoming: Incoming): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    // closed before the end: the client went away mid-body
    const onClose = () => (incoming.readableEnded ? onEnd() : onError(new Error('Client connection prematurely closed.')));
    const done = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/**
 * Whether @hono/node-server already built the web Request behind its lightweight one (something read `raw.body`):
 * its body stream is then pulling from the Node request, which must not get a second reader.
 */
function webRequestBuilt(raw: Request): boolean {
  for (const s of Object.getOwnPropertySymbols(raw)) if (s.description === 'requestCache') return true;
  return false;
}

/**
 * The limits middleware of one environment's app. The body is read here at most once and left in Hono's body cache,
 * so `c.req.text()` / `c.req.json()` / the zod validators downstream reuse it instead of reading the stream again.
 */
export function requestLimits(product: Product, limits: BodyLimits): MiddlewareHandler<AppEnv> {
  const check = async (c: Context<AppEnv>, next: Next, raw: Request): Promise<Response | void> => {
    const incoming = (c.env as { incoming?: Incoming } | undefined)?.incoming;
    // in-process requests: a Request without a body passes (on a listener, touching raw.body would build one)
    if (!incoming && raw.body === null) return next();
    const path = c.req.path;
    const max = path.startsWith('/__emulator') ? limits.controlPlane : limits.api;
    const declared = requestHeader(c, 'content-length') ?? null;
    const chunked = requestHeader(c, 'transfer-encoding') !== undefined;
    if (declared !== null && !chunked) {
      const n = Number(declared);
      if (n > max) return refuse(c, wireError(product, path, 413, tooLarge(max)));
      if (n === 0) return next();
    }
    const type = requestHeader(c, 'content-type') ?? '';
    // forms are parsed by Hono's form reader (flat key/value pairs: no depth to scan); only their size matters
    const form = type.startsWith('multipart/') || type.startsWith('application/x-www-form-urlencoded');
    if (form && declared !== null) return next();
    // a declared length on a listener: read the Node request itself; otherwise the web stream, capped as it goes
    const direct = incoming !== undefined && declared !== null && !chunked && !incoming.readableDidRead && !('rawBody' in incoming) && !webRequestBuilt(raw);
    if (incoming && !direct && declared === null && !chunked) return next(); // no body at all (no length, not chunked)
    const bytes = direct ? await readIncoming(incoming) : await readCapped(raw.body!, max);
    if (!bytes) return refuse(c, wireError(product, path, 413, tooLarge(max)));
    const text = decoder.decode(bytes);
    if (!form) {
      const depth = jsonDepthExceeded(text);
      if (depth !== undefined) {
        return refuse(c, wireError(product, path, 400, `The request body is nested deeper than the maximum depth of ${MAX_JSON_DEPTH}`));
      }
    }
    // hand the bytes to every later reader: the raw request (cloneable, as the access log clones it) and the decoded
    // text in Hono's body cache (json/formData/arrayBuffer are derived from it)
    if (direct) incoming.rawBody = bytes as Buffer;
    else c.req.raw = new Request(raw, { body: bytes });
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    // and to readers that can use it without a promise step (core/http.ts bodyTextOf; issue #17)
    c.set('bodyText', text);
    return next();
  };
  // bodiless methods pass synchronously (no promise of their own: core/router.ts composeChain keeps GETs synchronous)
  return (c, next) => {
    const raw = c.req.raw;
    const method = raw.method;
    return method === 'GET' || method === 'HEAD' ? next() : check(c, next, raw);
  };
}
