// What every ISC routes file declares the same way: the contracts' error responses (ErrorResponseDto, once, with the
// contracts' descriptions: test/reference/isc/isc-v3-certifications-access-requests.openapi.json), JSON content, and
// `routeAdder`: app.openapi for handlers that answer with send()/c.json; zod failures are the ISC app's default hook
// (core/http.ts validationHook('isc'): the S2 400 with the reason in `causes`).
import { z, type createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, EnvApp } from '../../core/types.js';
import { fastOpenapi } from '../../core/http.js';
import { lazy } from '../../core/lazy.js';

const locale = lazy(() => z.object({ locale: z.string().nullable(), localeOrigin: z.string().nullable(), text: z.string() }));
export const errorResponseDto = lazy(() =>
  z.object({ detailCode: z.string(), trackingId: z.string(), messages: z.array(locale()), causes: z.array(locale()) }).openapi('ErrorResponseDto'),
);

/** A JSON response declaration. */
export const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

/** The error responses of an ISC operation (the contracts' descriptions). */
export const iscErrors = lazy(() => ({
  400: json(errorResponseDto(), 'Client Error - Returned if the request body is invalid.'),
  401: json(z.object({ error: z.string() }), 'Unauthorized - Returned if there is no authorization header, or if the JWT token is expired.'),
  403: json(errorResponseDto(), "Forbidden - Returned if the user you are running as, doesn't have access to this end-point."),
  404: json(errorResponseDto(), 'Not Found - returned if the request URL refers to a resource or object that does not exist'),
  429: json(z.object({ message: z.string() }), 'Too Many Requests - Returned in response to too many requests in a given period of time.'),
  500: json(errorResponseDto(), 'Internal Server Error - Returned if there is an unexpected error.'),
}));

/** The paging, filter and sort query of an ISC list operation (contract: limit, offset, count, filters, sorters). */
export const listQuery = lazy(() =>
  z.object({ limit: z.string().optional(), offset: z.string().optional(), count: z.string().optional(), filters: z.string().optional(), sorters: z.string().optional() }),
);

/** A list's X-Total-Count header, sent when the caller asked for it (`count=true`). */
export function withTotal(c: Context<AppEnv>, count: boolean, total: number): void {
  if (count) c.header('X-Total-Count', String(total));
}

export type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;
export type AnyRoute = ReturnType<typeof createRoute>;

/**
 * Registers declared routes whose handlers read validated input from the context and answer a Response (query and
 * path parameters checked without a zod-openapi validator layer each: core/http.ts fastOpenapi).
 */
export function routeAdder(app: EnvApp): (route: AnyRoute, handler: Handler) => void {
  const openapi = fastOpenapi(app);
  return (route, handler) => (openapi as (r: AnyRoute, h: Handler) => void)(route, handler);
}
