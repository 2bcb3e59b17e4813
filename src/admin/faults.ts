// Generic fault injection (WireMock-style, DESIGN.md): make matching requests of an environment answer with a
// chosen status/body, or slow down, without restarting. Rules are runtime configuration, not tenant state:
// they are not in snapshots and `POST /__emulator/reset` of an environment clears its rules.
import { z } from 'zod';
import { createMiddleware } from 'hono/factory';
import type { Context, Next } from 'hono';
import type { AppEnv } from '../core/types.js';
import { productError, type ApiError } from '../core/errors.js';
import { lazy } from '../core/lazy.js';
import { re2, type RE2JS } from '../core/re2.js';

/** A fault rule as POST /__emulator/faults takes it (built on first use: core/lazy.ts). */
// RFC 9110 token for names; values without control characters (CR/LF would split the response). Framing headers
// describe the bytes the server sends: a rule setting them would corrupt its own answer
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);

export const faultRuleInput = lazy(() =>
  z
    .object({
      /** Environment name; omitted: every environment. */
      env: z.string().optional(),
      method: z.string().toUpperCase().optional(),
      /** Exact path, a prefix ending in `*`, or a regular expression starting with `^`. */
      path: z.string().min(1),
      /** Answer with this status (with the product's error body unless `body` is given). Omitted: only delay. */
      status: z.number().int().min(200).max(599).optional(),
      body: z.unknown().optional(),
      /** Extra response headers: names and values HTTP can carry; the framing headers are the server's own. */
      headers: z
        .record(
          z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'not a valid header name').refine((k) => !FRAMING.has(k.toLowerCase()), 'is set by the server'),
          z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'not a valid header value'),
        )
        .optional(),
      /** Real-time latency added before answering (for client timeout tests), at most 30 s. */
      delayMs: z.number().int().min(0).max(30_000).optional(),
      /** Apply to this many matching requests, then disappear. Omitted: until deleted. */
      times: z.number().int().min(1).optional(),
    })
    .strict()
    .refine((r) => r.status !== undefined || r.delayMs !== undefined, { message: 'a fault needs a status or a delayMs' }),
);

export type FaultRuleInput = z.infer<ReturnType<typeof faultRuleInput>>;
export interface FaultRule extends FaultRuleInput {
  id: string;
  hits: number;
}

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private seq = 0;

  add(input: FaultRuleInput): FaultRule {
    // compiled (and so checked) before anything is stored; RE2 (re2js): a pattern runs in linear time on every request
    const compiled = input.path.startsWith('^') ? re2().compile(input.path) : undefined;
    const rule: FaultRule = { ...input, id: `fault-${++this.seq}`, hits: 0 };
    if (compiled) PATTERNS.set(rule, compiled);
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(envName?: string): void {
    this.rules = envName ? this.rules.filter((r) => r.env !== undefined && r.env !== envName) : [];
  }

  get size(): number {
    return this.rules.length;
  }

  /** The first rule matching the request; counts the hit and retires exhausted rules. */
  match(envName: string, method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) => (r.env === undefined || r.env === envName) && (r.method === undefined || r.method === method) && pathMatches(r, path),
    );
    if (!rule) return undefined;
    rule.hits++;
    if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
    return rule;
  }
}

/** The compiled path pattern of each rule whose path is a regular expression. */
const PATTERNS = new WeakMap<FaultRule, RE2JS>();

function pathMatches(rule: FaultRule, path: string): boolean {
  const pattern = rule.path;
  const re = PATTERNS.get(rule);
  if (re) return re.matcher(path).find();
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

/** Middleware: apply the first matching rule (control-plane paths are never faulted). */
export function faultMiddleware(registry: FaultRegistry) {
  const apply = async (c: Context<AppEnv>, next: Next): Promise<Response | void> => {
    const env = c.get('env');
    const rule = registry.match(env.name, c.req.method, c.req.path);
    if (!rule) return next();
    if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
    if (rule.status === undefined) return next();
    for (const [k, v] of Object.entries(rule.headers ?? {})) c.header(k, v);
    if (rule.body !== undefined) {
      return typeof rule.body === 'string' ? c.text(rule.body, rule.status as 200) : c.json(rule.body as object, rule.status as 200);
    }
    // S4 L4700: an unhealthy environment answers /monitoring/health with 503 "Service Unavailable"
    if (c.req.path === '/monitoring/health') return c.text(rule.status === 503 ? 'Service Unavailable' : 'Error', rule.status as 200);
    const err: ApiError = productError(env.product, rule.status as ApiError['status'], 'Injected fault');
    return c.json(err.body as object, err.status);
  };
  // no rule (the usual case): synchronous, no promise of its own per request
  return createMiddleware<AppEnv>((c, next) => (registry.size === 0 || c.req.path.startsWith('/__emulator') ? next() : apply(c, next)));
}
