// ISC token area: credentials state now; /oauth/token, /oauth/authorize and PAT endpoints come with the auth issue.
import type { Area } from '../../core/types.js';
import { findIdentity } from '../identities/service.js';
import { iscCredentialsFixture, type IscCredentialsFixture, type IscCredentialsState } from './model.js';

export const iscOAuthArea: Area<IscCredentialsFixture, IscCredentialsState> = {
  name: 'iscCredentials',
  fixture: iscCredentialsFixture,
  seed: (s) => ({ apiClients: s.apiClients ?? [], personalAccessTokens: s.personalAccessTokens ?? [] }),
  snapshot: (st) => ({ apiClients: st.apiClients, personalAccessTokens: st.personalAccessTokens }),
  credentials: (env) => {
    const st = env.slice<IscCredentialsState>('iscCredentials');
    return {
      apiClients: st.apiClients.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, name: c.name })),
      personalAccessTokens: st.personalAccessTokens.map((p) => {
        const owner = findIdentity(env, p.ownerId);
        return { clientId: p.id, clientSecret: p.secret, ownerId: p.ownerId, ownerName: owner?.name ?? null };
      }),
    };
  },
};
