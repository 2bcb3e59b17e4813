// GET /am/oauth2/connect/jwk_uri: the public keys an environment signs access tokens with (docs/auth.md "Keys").
import type { JWK } from 'jose';
import type { Environment } from '../../environment.js';
import type { AicCredentialsState } from './model.js';

/** The environment's RS256 signing key from the fixture, if it has one (no key is generated at start-up). */
export function signingJwk(env: Environment): JWK | undefined {
  const key = env.slice<AicCredentialsState | undefined>('credentials')?.accessTokenSigningKey;
  return key && key.kty === 'RSA' && typeof key.d === 'string' ? (key as JWK) : undefined;
}

/** Public half only; HS256 environments publish an empty set (an HMAC secret is never published). */
export async function publishedJwks(env: Environment): Promise<{ keys: JWK[] }> {
  const k = signingJwk(env);
  if (!k) return { keys: [] };
  return { keys: [{ kty: 'RSA', kid: String(k.kid ?? 'emulator-rs256'), use: 'sig', alg: 'RS256', n: k.n, e: k.e }] };
}
