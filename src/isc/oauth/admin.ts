// Control plane of ISC authentication: POST /__emulator/token mints an ISC access token for an identity, as the
// control plane's client.
import type { EnvApp } from '../../core/types.js';
import { adminError } from '../../core/errors.js';
import type { Emulator } from '../../emulator.js';
import { tokenRoute } from '../../admin/token.js';
import { findIdentity } from '../identities/service.js';
import { CONTROL_PLANE_CLIENT, mintIscAccessToken } from './service.js';

export function iscOAuthAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  tokenRoute(admin, emulator, 'isc', (env, body) => {
    if (!body.identityId) throw adminError(400, 'identityId is required for an ISC token');
    const identity = findIdentity(env, body.identityId);
    if (!identity) throw adminError(404, `no identity ${body.identityId}`);
    return mintIscAccessToken(env, { identity, clientId: CONTROL_PLANE_CLIENT, principalType: identity.service ? 'apiClient' : 'identity', expiresIn: body.expiresIn });
  });
}
