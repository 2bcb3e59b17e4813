// One request header, read without building a fetch Headers object: under @hono/node-server the Node request's
// parsed headers arrive as c.env.incoming (server.ts passes the bindings through); in-process requests carry Headers.
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { headers: Record<string, string | string[] | undefined> };
}

/** The value of header `name` (lower case), or undefined. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (incoming) return nodeHeader(incoming.headers, name);
  return c.req.raw.headers.get(name) ?? undefined;
}

/** The value of header `name` (lower case) in a Node request's parsed headers, or undefined. */
export function nodeHeader(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
