// ISC access tokens: claims as ISC issues them (tenant_id, identity_id, user_name, authorities, client_id, …).
import type { Environment } from '../../environment.js';
import type { IscIdentity } from '../identities/model.js';

export const ISC_TOKEN_TTL = 749;

export interface IscTokenRequest {
  identity: IscIdentity;
  clientId: string;
  /** 'identity' for PAT / authorization-code tokens (a human), 'apiClient' for client credentials. */
  principalType: 'identity' | 'apiClient';
  patId?: string;
  scope?: string[];
  expiresIn?: number;
}

export function iscTenantId(env: Environment): string {
  return `${env.emulator.fixture.isc.tenant}-tenant-id`;
}

export async function mintIscAccessToken(env: Environment, req: IscTokenRequest) {
  const expiresIn = req.expiresIn ?? ISC_TOKEN_TTL;
  const scope = req.scope ?? ['sp:scopes:all'];
  const claims = {
    tenant_id: iscTenantId(env),
    internal: true,
    pod: 'emu01-local',
    org: env.emulator.fixture.isc.tenant,
    identity_id: req.identity.id,
    user_name: req.identity.name,
    strong_auth: true,
    authorities: req.identity.authorities,
    client_id: req.clientId,
    strong_auth_supported: false,
    scope,
    principalType: req.principalType,
    ...(req.patId ? { pat_id: req.patId } : {}),
  };
  const access_token = await env.tokens.mint({ ...claims, sub: req.identity.id }, expiresIn);
  return {
    access_token,
    token_type: 'bearer' as const,
    expires_in: expiresIn,
    scope: scope.join(' '),
    tenant_id: claims.tenant_id,
    pod: claims.pod,
    strong_auth_supported: false,
    org: claims.org,
    identity_id: claims.identity_id,
    user_name: claims.user_name,
    strong_auth: true,
  };
}
