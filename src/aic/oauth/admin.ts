// Control plane of AIC authentication: POST /__emulator/token mints an AIC access token without the OAuth flows.
import type { EnvApp } from '../../core/types.js';
import { adminError } from '../../core/errors.js';
import type { Emulator } from '../../emulator.js';
import { tokenRoute } from '../../admin/token.js';
import { mintAicAccessToken } from './service.js';

export function aicOAuthAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  tokenRoute(admin, emulator, 'aic', (env, body) => {
    if (!body.subject) throw adminError(400, 'subject is required for an AIC token');
    return mintAicAccessToken(env, {
      sub: body.subject,
      scopes: body.scopes,
      principalType: body.type,
      clientId: body.type === 'serviceAccount' ? 'service-account' : 'emulator-control-plane',
      grantType: 'emulator',
      expiresIn: body.expiresIn,
    });
  });
}
