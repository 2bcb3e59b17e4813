// ISC error bodies for every ISC area, texts verbatim from seed S2 (sign-off reference): 400 carries `causes` with the
// specific reason, 403/404/500 the documented generic message. Services throw core/errors.ts domain errors; iscWireError renders them.
import { ApiError, type DomainError, iscBadRequest, iscError, iscErrorBody } from '../../core/errors.js';

// S2 403 example
export const TEXT_403 = 'The server understood the request but refuses to authorize it.';
// S2 404 example
export const TEXT_404 = 'The server did not find a current representation for the target resource.';

/** The S2 400 with `cause` as its reason (core/errors.ts, shared with core/http.ts's validation and body errors). */
export const badRequest = iscBadRequest;

export function forbidden(): ApiError {
  return new ApiError(403, iscErrorBody(403, TEXT_403, '403 Forbidden'));
}

export function notFound(): ApiError {
  return new ApiError(404, iscErrorBody(404, TEXT_404, '404 Not found'));
}

/** A service's domain error (core/errors.ts) as ISC answers it (S2): the reason of a 400 goes into `causes`. */
export function iscWireError(err: DomainError): ApiError {
  switch (err.status) {
    case 400:
      return badRequest(err.message);
    case 403:
      return forbidden();
    case 404:
      return notFound();
    default:
      return iscError(err.status, err.message);
  }
}
