// AIC credentials an environment knows (SPEC §1): OAuth clients, service accounts (managed/svcacct), log API keys.
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

export const oauthClientSchema = lazy(() =>
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scopes: z.array(z.string()).default([]),
    name: z.string().optional(),
    /** Grants the client may use (client_credentials always; password for end-user tokens). */
    grantTypes: z.array(z.enum(['client_credentials', 'password', 'authorization_code', 'refresh_token'])).default(['client_credentials']),
    /** Registered redirect URIs (AM `redirectionUris`): /oauth2/authorize accepts exactly these. */
    redirectUris: z.array(z.string()).optional(),
  }),
);
export type OAuthClient = z.infer<ReturnType<typeof oauthClientSchema>>;

const jwkSchema = lazy(() => z.record(z.string(), z.unknown()));

/** managed/svcacct as IDM stores it (recording am-authentication: POST /openidm/managed/svcacct?_action=create). */
export const serviceAccountSchema = lazy(() =>
  z.object({
    _id: z.string().min(1),
    _rev: z.string().optional(),
    name: z.string().min(1),
    description: z.string().default(''),
    // stored as written (IDM keeps `active` from frodo's onboarding verbatim); compared with isActiveStatus
    accountStatus: z.string().regex(/^(active|inactive)$/i, 'accountStatus must be Active or Inactive').default('Active'),
    scopes: z.array(z.string()).default([]),
    /** JSON string `{"keys":[<public JWK>]}`, exactly as IDM stores it. */
    jwks: z.string(),
    maxCachingTime: z.string().default('15'),
    maxIdleTime: z.string().default('15'),
    maxSessionTime: z.string().default('15'),
    quotaLimit: z.string().default('5'),
    /** Emulator-only: the private JWK, so GET /__emulator/credentials can hand out working credentials. */
    privateJwk: jwkSchema().optional(),
  }),
);
export type ServiceAccount = z.infer<ReturnType<typeof serviceAccountSchema>>;

export const logApiKeySchema = lazy(() =>
  z.object({
    id: z.string().min(1),
    secret: z.string().min(1),
    name: z.string().default('default'),
    createdAt: z.string().optional(),
  }),
);
export type LogApiKey = z.infer<ReturnType<typeof logApiKeySchema>>;

/** A tenant administrator (root realm): logs in through /am/json/realms/root/authenticate, then the admin UI's
 *  PKCE authorization-code flow (how Frodo and the admin console get a token with a username and password). */
export const tenantAdminSchema = lazy(() =>
  z.object({
    _id: z.string().min(1),
    username: z.string().min(1),
    /** Emulator-only: the admin's password (never returned by product endpoints). */
    password: z.string().min(1),
    givenName: z.string().default('Tenant'),
    sn: z.string().default('Admin'),
  }),
);
export type TenantAdmin = z.infer<ReturnType<typeof tenantAdminSchema>>;

export const aicCredentialsFixture = lazy(() =>
  z.object({
    oauthClients: z.array(oauthClientSchema()).optional(),
    serviceAccounts: z.array(serviceAccountSchema()).optional(),
    logApiKeys: z.array(logApiKeySchema()).optional(),
    tenantAdmins: z.array(tenantAdminSchema()).optional(),
    /** Optional private RSA JWK: when set, access tokens are RS256 with it and jwk_uri publishes its public half;
     *  when absent they are HS256 with the environment's secret, as AIC's stateless tokens are (S4 L14048). */
    accessTokenSigningKey: jwkSchema().optional(),
  }),
);
export type AicCredentialsFixture = z.infer<ReturnType<typeof aicCredentialsFixture>>;

export interface AicCredentialsState {
  oauthClients: OAuthClient[];
  serviceAccounts: ServiceAccount[];
  logApiKeys: LogApiKey[];
  tenantAdmins?: TenantAdmin[];
  accessTokenSigningKey?: Record<string, unknown>;
}

/** A service account's `accountStatus` grants tokens when it says active, in any letter case (issue 15). */
export function isActiveStatus(status: string): boolean {
  return status.toLowerCase() === 'active';
}

/** The built-in public clients of the admin UI (AM session → authorization code with PKCE). */
export const ADMIN_UI_CLIENTS = ['idmAdminClient', 'idm-admin-ui'];
