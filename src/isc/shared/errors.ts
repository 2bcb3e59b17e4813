// ISC error bodies for every ISC area, texts verbatim from seed S2 (sign-off reference): 400 carries `causes` with the
// specific reason, 403/404/500 the documented generic message. Services throw core/errors.ts domain errors; iscWireError renders them.
import { ApiError, type DomainError, iscError, iscErrorBody } from '../../core/errors.js';

const locale = (text: string) => ({ locale: 'en-US', localeOrigin: 'DEFAULT', text });

// S2 400 example: "400.1 Bad Request Content" / "The request was syntactically correct but its content is semantically invalid."
export const TEXT_400 = 'The request was syntactically correct but its content is semantically invalid.';
// S2 403 example
export const TEXT_403 = 'The server understood the request but refuses to authorize it.';
// S2 404 example
export const TEXT_404 = 'The server did not find a current representation for the target resource.';

export function badRequest(cause: string): ApiError {
  const body = iscErrorBody(400, TEXT_400, '400.1 Bad Request Content');
  return new ApiError(400, { ...body, causes: [locale(cause)] });
}

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
