// ISC authentication area (SPEC §7): /oauth/token, /oauth/authorize, /v3/personal-access-tokens, /v3/oauth-clients,
// token guards.
import type { Area } from '../../core/types.js';
import { findIdentity } from '../identities/service.js';
import { iscCredentialsFixture, type IscCredentialsFixture, type IscCredentialsState } from './model.js';
import { iscTokenGuard } from './service.js';
import { iscOAuthRoutes } from './routes.js';
import { iscOAuthClientRoutes } from './clientRoutes.js';
import { iscOAuthAdminRoutes } from './admin.js';

export const iscOAuthArea: Area<IscCredentialsFixture, IscCredentialsState> = {
  name: 'iscCredentials',
  fixture: iscCredentialsFixture,
  seed: (s) => ({ apiClients: s.apiClients ?? [], personalAccessTokens: s.personalAccessTokens ?? [] }),
  snapshot: (st) => ({ apiClients: st.apiClients, personalAccessTokens: st.personalAccessTokens }),
  init: (env) => {
    // S1: a PAT dies with its owner; deleted PATs and clients revoke their live tokens
    env.tokens.guards.push(iscTokenGuard(env));
  },
  routes: (app) => {
    iscOAuthRoutes(app);
    iscOAuthClientRoutes(app);
  },
  adminRoutes: iscOAuthAdminRoutes,
  credentials: (env) => {
    const st = env.slice<IscCredentialsState>('iscCredentials');
    return {
      tokenUrl: `${env.url}/oauth/token`,
      authorizeUrl: `${env.url}/oauth/authorize`,
      apiClients: st.apiClients.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, name: c.name, identityId: c.identityId, grantTypes: c.grantTypes, redirectUris: c.redirectUris })),
      personalAccessTokens: st.personalAccessTokens.map((p) => {
        const owner = findIdentity(env, p.ownerId);
        return { clientId: p.id, clientSecret: p.secret, ownerId: p.ownerId, ownerName: owner?.name ?? null, ownerActive: owner?.active ?? false };
      }),
    };
  },
};
