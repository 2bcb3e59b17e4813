// AIC authentication area (SPEC §1): token endpoint, jwk_uri, managed/svcacct, log API keys, token guards.
import type { Area } from '../../core/types.js';
import { aicCredentialsFixture, type AicCredentialsFixture, type AicCredentialsState } from './model.js';
import { aicTokenGuard } from './service.js';
import { signingJwk } from './jwks.js';
import { aicOAuthRoutes } from './routes.js';
import { aicSessionRoutes } from './sessionRoutes.js';
import { aicOAuthAdminRoutes } from './admin.js';

export const aicOAuthArea: Area<AicCredentialsFixture, AicCredentialsState> = {
  name: 'credentials',
  fixture: aicCredentialsFixture,
  seed: (s) => ({
    oauthClients: s.oauthClients ?? [],
    serviceAccounts: (s.serviceAccounts ?? []).map((sa) => ({ ...sa, _rev: sa._rev ?? '1' })),
    logApiKeys: s.logApiKeys ?? [],
    tenantAdmins: s.tenantAdmins ?? [],
    ...(s.accessTokenSigningKey ? { accessTokenSigningKey: s.accessTokenSigningKey } : {}),
  }),
  snapshot: (st) => ({
    oauthClients: st.oauthClients,
    serviceAccounts: st.serviceAccounts,
    logApiKeys: st.logApiKeys,
    ...(st.tenantAdmins?.length ? { tenantAdmins: st.tenantAdmins } : {}),
    ...(st.accessTokenSigningKey ? { accessTokenSigningKey: st.accessTokenSigningKey } : {}),
  }),
  init: (env) => {
    // revocation is immediate: inactive/deleted service accounts, deleted clients, inactive users
    env.tokens.guards.push(aicTokenGuard(env));
    env.tokens.signingJwk = () => signingJwk(env);
  },
  routes: (app) => {
    aicOAuthRoutes(app);
    aicSessionRoutes(app);
  },
  adminRoutes: aicOAuthAdminRoutes,
  credentials: (env) => {
    const st = env.slice<AicCredentialsState>('credentials');
    return {
      tokenUrl: `${env.url}/am/oauth2/access_token`,
      oauthClients: st.oauthClients.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, scopes: c.scopes, grantTypes: c.grantTypes })),
      serviceAccounts: st.serviceAccounts
        .filter((sa) => sa.privateJwk)
        .map((sa) => ({ id: sa._id, name: sa.name, scopes: sa.scopes, accountStatus: sa.accountStatus, privateJwk: sa.privateJwk })),
      logApiKeys: st.logApiKeys.map((k) => ({ id: k.id, secret: k.secret })),
      tenantAdmins: (st.tenantAdmins ?? []).map((a) => ({ username: a.username, password: a.password })),
    };
  },
};
