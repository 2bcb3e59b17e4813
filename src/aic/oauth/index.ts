// AIC authentication area: credentials state now; token endpoint, svcacct CRUD and /keys come with the auth issue.
import type { Area } from '../../core/types.js';
import { aicCredentialsFixture, type AicCredentialsFixture, type AicCredentialsState } from './model.js';

export const aicOAuthArea: Area<AicCredentialsFixture, AicCredentialsState> = {
  name: 'credentials',
  fixture: aicCredentialsFixture,
  seed: (s) => ({
    oauthClients: s.oauthClients ?? [],
    serviceAccounts: (s.serviceAccounts ?? []).map((sa) => ({ ...sa, _rev: sa._rev ?? '1' })),
    logApiKeys: s.logApiKeys ?? [],
  }),
  snapshot: (st) => ({ oauthClients: st.oauthClients, serviceAccounts: st.serviceAccounts, logApiKeys: st.logApiKeys }),
  credentials: (env) => {
    const st = env.slice<AicCredentialsState>('credentials');
    return {
      oauthClients: st.oauthClients.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, scopes: c.scopes })),
      serviceAccounts: st.serviceAccounts
        .filter((sa) => sa.privateJwk)
        .map((sa) => ({ id: sa._id, name: sa.name, scopes: sa.scopes, privateJwk: sa.privateJwk })),
      logApiKeys: st.logApiKeys.map((k) => ({ id: k.id, secret: k.secret })),
    };
  },
};
