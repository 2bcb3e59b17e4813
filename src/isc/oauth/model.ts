// ISC credentials (SPEC §7): API clients (client credentials, acting as their service identity) and
// personal access tokens (owned by an identity; they die with it, S1).
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

export const apiClientSchema = lazy(() =>
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    name: z.string().default('API client'),
    /** The service identity the client acts as (S0: client-credentials tokens act as this identity). */
    identityId: z.string().min(1),
    scope: z.array(z.string()).default(['sp:scopes:all']),
    grantTypes: z.array(z.enum(['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'REFRESH_TOKEN'])).default(['CLIENT_CREDENTIALS']),
    redirectUris: z.array(z.string()).default([]),
    // /v3/oauth-clients fields (contract GetOAuthClientResponse); optional so seeded clients round-trip unchanged
    description: z.string().nullable().optional(),
    businessName: z.string().nullable().optional(),
    homepageUrl: z.string().nullable().optional(),
    /** Lifetime of its access tokens (absent: ISC's 749 s for client credentials). */
    accessTokenValiditySeconds: z.number().int().positive().optional(),
    refreshTokenValiditySeconds: z.number().int().positive().optional(),
    accessType: z.enum(['ONLINE', 'OFFLINE']).optional(),
    type: z.enum(['CONFIDENTIAL', 'PUBLIC']).optional(),
    internal: z.boolean().optional(),
    /** A disabled client obtains no tokens and its live tokens are refused. */
    enabled: z.boolean().optional(),
    strongAuthSupported: z.boolean().optional(),
    claimsSupported: z.boolean().optional(),
    created: z.string().optional(),
    modified: z.string().optional(),
    lastUsed: z.string().nullable().optional(),
  }),
);
export type ApiClient = z.infer<ReturnType<typeof apiClientSchema>>;

export const personalAccessTokenSchema = lazy(() =>
  z.object({
    /** The PAT's id, which is also its OAuth client id. */
    id: z.string().min(1),
    name: z.string().min(1),
    /** Kept so the control plane can hand out working credentials; the product API shows it only at creation. */
    secret: z.string().min(1),
    ownerId: z.string().min(1),
    scope: z.array(z.string()).nullable().default(['sp:scopes:all']),
    created: z.string(),
    lastUsed: z.string().nullable().default(null),
    managed: z.boolean().default(false),
    accessTokenValiditySeconds: z.number().int().default(43200),
    expirationDate: z.string().nullable().default(null),
  }),
);
export type PersonalAccessToken = z.infer<ReturnType<typeof personalAccessTokenSchema>>;

export const iscCredentialsFixture = lazy(() =>
  z.object({
    apiClients: z.array(apiClientSchema()).optional(),
    personalAccessTokens: z.array(personalAccessTokenSchema()).optional(),
  }),
);
export type IscCredentialsFixture = z.infer<ReturnType<typeof iscCredentialsFixture>>;

export interface IscCredentialsState {
  apiClients: ApiClient[];
  personalAccessTokens: PersonalAccessToken[];
}
