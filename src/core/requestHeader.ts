// One request header, read without building a fetch Headers object: under @hono/node-server the Node request's
// parsed headers arrive as c.env.incoming (server.ts passes the bindings through); in-process requests carry Headers.
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { headers: Record<string, string | string[] | undefined> };
}

/** The value of header `name` (lower case), or undefined. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (incoming) {
    const v = incoming.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  return c.req.raw.headers.get(name) ?? undefined;
}
