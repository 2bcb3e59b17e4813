// AIC access tokens: claims shaped like AM's stateless OAuth2 tokens, signed with the environment's key.
import type { Environment } from '../../environment.js';
import type { Principal } from '../../core/auth.js';

/** S4 L14040: service-account access tokens live 899 s. */
export const SERVICE_ACCOUNT_TOKEN_TTL = 899;
export const DEFAULT_TOKEN_TTL = 3599;

export interface AicTokenRequest {
  sub: string;
  subname?: string;
  scopes: string[];
  principalType: Principal['type'];
  /** The OAuth client (`service-account` for the JWT-bearer grant). */
  clientId: string;
  grantType: string;
  expiresIn?: number;
}

export async function mintAicAccessToken(env: Environment, req: AicTokenRequest): Promise<{ access_token: string; scope: string; token_type: 'Bearer'; expires_in: number }> {
  const expiresIn = req.expiresIn ?? (req.principalType === 'serviceAccount' ? SERVICE_ACCOUNT_TOKEN_TTL : DEFAULT_TOKEN_TTL);
  const access_token = await env.tokens.mint(
    {
      sub: req.sub,
      subname: req.subname ?? req.sub,
      aud: req.clientId,
      scope: req.scopes,
      principalType: req.principalType,
      cts: 'OAUTH2_STATELESS_GRANT',
      auditTrackingId: crypto.randomUUID(),
      tokenName: 'access_token',
      token_type: 'Bearer',
      authGrantType: req.grantType,
      realm: '/',
      env: env.name,
    },
    expiresIn,
  );
  return { access_token, scope: req.scopes.join(' '), token_type: 'Bearer', expires_in: expiresIn };
}
