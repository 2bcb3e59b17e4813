// AIC error bodies for domain errors, in one place: each AIC API family has its own body (core/errors.ts builds
// them) and a route declares which family it speaks (core/http.ts errorShape):
// - CREST `{code, reason, message}` for AM/IDM platform APIs (recording am-authentication: 400 "No Configuration found");
// - the environment API `{code, message}` for ESVs and promotions (recordings esv-*.json);
// - IGA `{message}` (recordings iga-*.json), with the error's extra fields beside it (a refused access request
//   carries its `errors`, S3 L3801).
import { ApiError, Conflict, type DomainError, crestError, envError, igaError } from '../core/errors.js';

export type AicErrorShape = 'crest' | 'env' | 'iga';

/**
 * S4 L3136–3140: a promotion or maintenance lock refusing a write. Its body is the environment API's `{code, message}`
 * whichever API family refused it (ESV, AM/IDM configuration): the lock belongs to the environment, not to the API.
 */
export class EnvironmentLocked extends Conflict {}

export function aicWireError(shape: AicErrorShape, err: DomainError): ApiError {
  if (err instanceof EnvironmentLocked) return envError(err.status, err.message);
  switch (shape) {
    case 'env':
      return envError(err.status, err.message);
    case 'iga':
      return err.detail ? new ApiError(err.status, { message: err.message, ...err.detail }) : igaError(err.status, err.message);
    default:
      return crestError(err.status, err.message, err.detail);
  }
}
