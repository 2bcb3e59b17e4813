// Errors as values carrying their wire body: services throw or return them; the app's error
// handler renders them verbatim. Each product's body shape lives in one helper here.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type Product = 'aic' | 'isc';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

/**
 * A broken domain rule, thrown by a service (DESIGN.md: services never build an error body nor pick a wire format).
 * The message is the product's recorded text where one exists. Each product renders it in one place:
 * aic/errors.ts (CREST, environment API, IGA bodies) and isc/errors.ts; the route's error shape picks which.
 */
export abstract class DomainError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409 | 412 | 500;
  constructor(
    message: string,
    /** Extra fields some bodies carry (CREST `detail`). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The request asks for something the rules do not allow (400). */
export class Invalid extends DomainError {
  readonly status = 400;
}
/** The caller may not do this (403). */
export class Forbidden extends DomainError {
  readonly status = 403;
}
/** No such object (404). */
export class NotFound extends DomainError {
  readonly status = 404;
}
/** The object's state forbids it now: locked, already exists, in progress (409). */
export class Conflict extends DomainError {
  readonly status = 409;
}
/** A precondition header (If-Match, If-None-Match) does not hold (412). */
export class PreconditionFailed extends DomainError {
  readonly status = 412;
}
/** The emulated back end failed in a way the product reports (a documented 500, not an emulator bug). */
export class Failed extends DomainError {
  readonly status = 500;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** AIC CREST error `{"code","reason","message"}` (recording am-authentication: 400 "No Configuration found"). */
export function crestError(status: ContentfulStatusCode, message: string, detail?: Record<string, unknown>): ApiError {
  return new ApiError(status, { code: status, reason: reasonPhrase(status), message, ...(detail ? { detail } : {}) });
}

/** AIC environment API error `{"code","message"}` (recordings esv-*.json). */
export function envError(status: ContentfulStatusCode, message: string): ApiError {
  return new ApiError(status, { code: status, message });
}

/** AIC IGA error `{"message"}` (recordings iga-*.json). */
export function igaError(status: ContentfulStatusCode, message: string): ApiError {
  return new ApiError(status, { message });
}

/** The control plane's own error `{"error", "details"?}` (/__emulator: not a product API). */
export function adminError(status: ContentfulStatusCode, error: string, details?: unknown): ApiError {
  return new ApiError(status, details === undefined ? { error } : { error, details });
}

const ISC_DETAIL: Record<number, string> = {
  400: '400.1 Bad Request Content',
  403: '403 Forbidden',
  404: '404 Not found',
  405: '405 Method Not Allowed',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  500: '500.0 Internal Fault',
};

/** ISC error `{detailCode, trackingId, messages:[{locale, localeOrigin, text}], causes}` (S2). */
export function iscError(status: ContentfulStatusCode, text: string, detailCode?: string, trackingId?: string): ApiError {
  return new ApiError(status, iscErrorBody(status, text, detailCode, trackingId));
}

export function iscErrorBody(status: number, text: string, detailCode?: string, trackingId?: string) {
  return {
    detailCode: detailCode ?? ISC_DETAIL[status] ?? `${status} ${reasonPhrase(status)}`,
    trackingId: trackingId ?? crypto.randomUUID().replace(/-/g, ''),
    messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text }],
    causes: [],
  };
}

// S2 400 example (test/reference/seeds/s2-sign-off-examples.json): the generic text, the reason in `causes`
export const ISC_TEXT_400 = 'The request was syntactically correct but its content is semantically invalid.';

/** ISC's 400 (S2): `400.1 Bad Request Content`, the generic text in `messages`, the specific reason in `causes`. */
export function iscBadRequest(cause: string): ApiError {
  return new ApiError(400, { ...iscErrorBody(400, ISC_TEXT_400), causes: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: cause }] });
}

/** The error body a product shows for a generic status (unknown route, malformed request, internal error). */
export function productError(product: Product, status: ContentfulStatusCode, message: string): ApiError {
  return product === 'aic' ? crestError(status, message) : iscError(status, message);
}
