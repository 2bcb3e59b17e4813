// Token issuance and verification shared by both products, and the declarative route guards.
// Tokens are real JWTs (jose). Each environment signs with its own HS256 secret (derived from the fixture
// seed unless given), so a token from one environment fails verification in another and start-up does no
// RSA key generation. Verified claims are cached per token string; expiry is still checked on every use
// against the emulator clock, and per-environment guards (inactive service account, deactivated identity,
// deleted PAT) run on every use so revocation is immediate.
import type { JWK, importJWK } from 'jose';
import { jose } from './jose.js';
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AppEnv } from './types.js';
import { ApiError, crestError, iscError } from './errors.js';
import { hasAnyScope } from './scopes.js';
import { uuid } from './ids.js';
import { plain } from './clone.js';
import { requestHeader } from './requestHeader.js';

/** Who is acting: the identity behind the token (seeds 000/001: never anyone else). */
export interface Principal {
  /** AIC: serviceAccount | oauthClient | user; ISC: identity (PAT, authorization code) | apiClient (client credentials). */
  type: 'serviceAccount' | 'oauthClient' | 'user' | 'identity' | 'apiClient';
  /** The id recorded for attribution: service-account id, client id, user id or ISC identity id. */
  id: string;
  /** Display name where known (ISC user_name, AIC subname). */
  name?: string;
  scopes: string[];
  /** ISC authorities (ORG_ADMIN, CERT_ADMIN, …). */
  authorities: string[];
  /** OAuth client that obtained the token (AIC client id / ISC client_id / PAT id). */
  clientId?: string;
  /** The access token's jti. */
  tokenId: string;
  claims: TokenClaims;
}

export type TokenClaims = Record<string, unknown> & { sub?: string; exp?: number; iat?: number; jti?: string };

export interface VerifyFail {
  ok: false;
  reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'revoked' | 'wrongEnvironment';
  detail?: string;
}

/** A per-environment check run on every use of a verified token; returns a reason to reject or undefined. */
export type TokenGuard = (claims: TokenClaims) => string | undefined;

interface CacheEntry {
  /** The verified token (the cache is keyed by its tail, see cacheKey). */
  token: string;
  /** `Bearer <token>`: the header cachedHeader() compares in one flat string compare. */
  bearer: string;
  claims: TokenClaims;
  /** Built from the claims on first use by a route guard (claims never change, so neither does the principal). */
  principal?: Principal;
  /** The answers of a successful check, made once (read-only to callers; issue #17: no two objects per request). */
  valid?: { readonly ok: true; readonly claims: TokenClaims };
  admitted?: { readonly ok: true; readonly principal: Principal };
}

const CACHE_LIMIT = 10_000;

/**
 * The verified-token cache's key: the token's last 43 characters (a JWT's signature, unique per token), so a lookup
 * hashes 43 characters instead of the whole token (~700); the entry's full token is compared on every hit.
 */
const KEY_CHARS = 43;
const cacheKey = (token: string): string => (token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token);
const BEARER = 'Bearer ';

type ImportedKey = Awaited<ReturnType<typeof importJWK>>;

export class TokenService {
  private readonly key: Uint8Array;
  private readonly cache = new Map<string, CacheEntry>();
  readonly guards: TokenGuard[] = [];
  /**
   * Optional RS256 signing key (a private RSA JWK from the fixture, never generated at start-up), read on each
   * mint so reset/seed take effect. Without one, tokens are HS256 with the environment's secret.
   */
  signingJwk?: () => JWK | undefined;
  private readonly imported = new WeakMap<JWK, Promise<{ priv: ImportedKey; pub: ImportedKey }>>();

  constructor(
    secret: string,
    /** Read on use: the environment's URL is final only once it listens (port 0) or from --public-url. */
    private readonly issuerOf: () => string,
    private readonly nowSeconds: () => number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  get issuer(): string {
    return this.issuerOf();
  }

  private rsaKeys(jwk: JWK): Promise<{ priv: ImportedKey; pub: ImportedKey }> {
    let p = this.imported.get(jwk);
    if (!p) {
      const { kty, n, e } = jwk;
      p = jose().then(({ importJWK }) => Promise.all([importJWK(jwk, 'RS256'), importJWK({ kty, n, e }, 'RS256')])).then(([priv, pub]) => ({ priv, pub }));
      this.imported.set(jwk, p);
    }
    return p;
  }

  /** Sign claims into an access token valid for `expiresIn` seconds of emulator time. */
  async mint(claims: TokenClaims, expiresIn: number): Promise<string> {
    const iat = this.nowSeconds();
    const { sub, jti, ...rest } = claims;
    const rsa = this.signingJwk?.();
    const { SignJWT } = await jose();
    // claims may carry state values (ISC authorities): jose structuredClones them, so pass a plain copy
    const jwt = new SignJWT(plain({ ...rest, expires_in: expiresIn }))
      .setProtectedHeader(rsa ? { alg: 'RS256', typ: 'JWT', kid: String(rsa.kid ?? 'emulator-rs256') } : { alg: 'HS256', typ: 'JWT', kid: 'emulator-hs256' })
      .setIssuer(this.issuer)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + expiresIn)
      .setJti(jti ?? uuid());
    if (sub) jwt.setSubject(sub);
    return jwt.sign(rsa ? (await this.rsaKeys(rsa)).priv : this.key);
  }

  /** The cache entry of a token verified before. */
  private entry(token: string): CacheEntry | undefined {
    const entry = this.cache.get(cacheKey(token));
    return entry !== undefined && entry.token === token ? entry : undefined;
  }

  /** Verify signature, issuer and expiry against the emulator clock, then the guards. */
  async verify(token: string | undefined): Promise<{ ok: true; claims: TokenClaims } | VerifyFail> {
    if (!token) return { ok: false, reason: 'missing' };
    const entry = this.entry(token) ?? (await this.verifyNew(token));
    return 'claims' in entry ? this.check(entry) : entry;
  }

  /**
   * The hot path of every authenticated request: the principal of a token verified before, with expiry and the
   * guards checked again, synchronously (no promise, no signature work, no allocation); undefined when the token was
   * never verified (then call authenticate()).
   */
  cached(token: string | undefined, build: (claims: TokenClaims) => Principal): VerifyFail | { ok: true; principal: Principal } | undefined {
    if (!token) return { ok: false, reason: 'missing' };
    const entry = this.entry(token);
    return entry ? this.withPrincipal(entry, build) : undefined;
  }

  /**
   * cached() from the Authorization header itself: `Bearer <a token verified before>` is found without the
   * bearerToken() regex (a verified token is a JWT, free of whitespace, so it is exactly what the regex would have
   * extracted); any other header goes through bearerToken(). Undefined when the token was never verified.
   */
  cachedHeader(header: string | undefined, build: (claims: TokenClaims) => Principal): VerifyFail | { ok: true; principal: Principal } | undefined {
    if (header !== undefined && header.length > BEARER.length + KEY_CHARS && header.startsWith(BEARER)) {
      const entry = this.cache.get(header.slice(-KEY_CHARS));
      if (entry !== undefined && header === entry.bearer) return this.withPrincipal(entry, build);
    }
    return this.cached(bearerToken(header), build);
  }

  /**
   * bearerToken(header), answered for `Bearer <a token verified before>` with the cached token string itself: its
   * hash is computed once, so a map keyed by tokens (the ISC rate limit) looks it up without hashing ~700 characters.
   */
  bearer(header: string | undefined): string | undefined {
    if (header !== undefined && header.length > BEARER.length + KEY_CHARS && header.startsWith(BEARER)) {
      const entry = this.cache.get(header.slice(-KEY_CHARS));
      if (entry !== undefined && header === entry.bearer) return entry.token;
    }
    return bearerToken(header);
  }

  /** Verify a token (cached or not) and give its principal, built once per token. */
  async authenticate(token: string | undefined, build: (claims: TokenClaims) => Principal): Promise<VerifyFail | { ok: true; principal: Principal }> {
    if (!token) return { ok: false, reason: 'missing' };
    const entry = this.entry(token) ?? (await this.verifyNew(token));
    return 'claims' in entry ? this.withPrincipal(entry, build) : entry;
  }

  private withPrincipal(entry: CacheEntry, build: (claims: TokenClaims) => Principal): VerifyFail | { ok: true; principal: Principal } {
    const why = this.check(entry);
    if (!why.ok) return why;
    return (entry.admitted ??= { ok: true, principal: (entry.principal ??= build(entry.claims)) });
  }

  /** Expiry against the emulator clock, then the per-environment guards (revocation is immediate). */
  private check(entry: CacheEntry): { ok: true; claims: TokenClaims } | VerifyFail {
    const claims = entry.claims;
    if (typeof claims.exp === 'number' && claims.exp <= this.nowSeconds()) return { ok: false, reason: 'expired' };
    for (const guard of this.guards) {
      const why = guard(claims);
      if (why) return { ok: false, reason: 'revoked', detail: why };
    }
    return (entry.valid ??= { ok: true, claims });
  }

  /** Signature, issuer and expiry of a token not seen before; caches the claims. */
  private async verifyNew(token: string): Promise<CacheEntry | VerifyFail> {
    const { decodeProtectedHeader, jwtVerify, errors: joseErrors } = await jose();
    let claims: TokenClaims;
    try {
      const alg = decodeProtectedHeader(token).alg;
      const rsa = alg === 'RS256' ? this.signingJwk?.() : undefined;
      if (alg === 'RS256' && !rsa) return { ok: false, reason: 'signature' };
      const res = await jwtVerify(token, rsa ? (await this.rsaKeys(rsa)).pub : this.key, {
        issuer: this.issuer,
        algorithms: [rsa ? 'RS256' : 'HS256'],
        currentDate: new Date(this.nowSeconds() * 1000),
      });
      claims = res.payload as TokenClaims;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' };
      if (err instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, reason: 'wrongEnvironment', detail: err.message };
      return { ok: false, reason: 'malformed', detail: (err as Error).message };
    }
    // concurrent first uses of one token share the entry verified first
    let entry = this.entry(token);
    if (!entry) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(cacheKey(token), (entry = { token, bearer: BEARER + token, claims }));
    }
    return entry;
  }

  clearCache(): void {
    this.cache.clear();
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** Build the Principal from verified AIC claims (minted by aic/oauth or the control plane). */
export function aicPrincipal(claims: TokenClaims): Principal {
  const scope = claims.scope;
  const scopes = Array.isArray(scope) ? scope.map(String) : typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  return {
    type: (claims.principalType as Principal['type']) ?? 'serviceAccount',
    id: String(claims.sub ?? ''),
    name: typeof claims.subname === 'string' ? claims.subname : undefined,
    scopes,
    authorities: [],
    clientId: typeof claims.aud === 'string' ? claims.aud : undefined,
    tokenId: String(claims.jti ?? ''),
    claims,
  };
}

/** Build the Principal from verified ISC claims (S0: the actor is the identity of the token). */
export function iscPrincipal(claims: TokenClaims): Principal {
  const identityId = typeof claims.identity_id === 'string' ? claims.identity_id : undefined;
  const scope = claims.scope;
  return {
    type: (claims.principalType as Principal['type']) ?? (claims.pat_id ? 'identity' : 'apiClient'),
    id: String(identityId ?? claims.client_id ?? ''),
    name: typeof claims.user_name === 'string' ? claims.user_name : undefined,
    scopes: Array.isArray(scope) ? scope.map(String) : typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
    authorities: Array.isArray(claims.authorities) ? claims.authorities.map(String) : [],
    clientId: typeof claims.client_id === 'string' ? claims.client_id : undefined,
    tokenId: String(claims.jti ?? ''),
    claims,
  };
}

/** The one place a request's actor is set: the principal, and `{txId, principal}` for services (c.get('actor')). */
export function setActor(c: Context<AppEnv>, principal: Principal): void {
  c.set('principal', principal);
  c.set('actor', { txId: c.get('txId'), principal });
}

export interface AicAuthOptions {
  /** The route needs at least one of these scopes (implications per scopes.ts). Empty: any valid token. */
  anyOf?: string[];
}

/**
 * Route guard for AIC: declare it in the route definition (`middleware: [aicAuth({ anyOf: [...] })]`).
 * No/invalid/expired token → 401, valid token lacking scope → 403, both in the CREST body (SPEC §1).
 */
export function aicAuth(opts: AicAuthOptions = {}) {
  const anyOf = opts.anyOf ?? [];
  const admit = (c: Context<AppEnv>, res: AuthResult, next: () => Promise<void>): Promise<void> => {
    if (!res.ok) {
      throw new ApiError(401, { code: 401, reason: 'Unauthorized', message: 'Access Denied' }, { 'www-authenticate': `Bearer realm="${c.get('env').name}", error="invalid_token"` });
    }
    const principal = res.principal;
    if (!hasAnyScope(principal.scopes, anyOf)) {
      throw crestError(403, 'Access Denied');
    }
    setActor(c, principal);
    return next();
  };
  // a token verified before is admitted synchronously (no promise of its own on the hot path); a new one is verified
  return createMiddleware<AppEnv>((c, next) => {
    const tokens = c.get('env').tokens;
    const header = requestHeader(c, 'authorization');
    const res = tokens.cachedHeader(header, aicPrincipal);
    return res ? admit(c, res, next) : tokens.authenticate(bearerToken(header), aicPrincipal).then((r) => admit(c, r, next));
  });
}

type AuthResult = VerifyFail | { ok: true; principal: Principal };

const ISC_401: Record<VerifyFail['reason'], string> = {
  missing: 'JWT validation failed: JWT is missing',
  malformed: 'JWT validation failed: JWT is malformed',
  signature: 'JWT validation failed: JWT signature does not match',
  expired: 'JWT validation failed: JWT is expired',
  revoked: 'JWT validation failed: JWT has been revoked',
  wrongEnvironment: 'JWT validation failed: JWT issuer is not valid for this tenant',
};

export function iscUnauthorized(reason: VerifyFail['reason']): ApiError {
  return new ApiError(401, { error: ISC_401[reason] });
}

export interface IscAuthOptions {
  /** When set, the caller needs one of these authorities (checked by the route if it has more nuanced rules). */
  authorities?: string[];
  /** The operation's OAuth scopes (the contract's `security.userAuth`): the token needs one of them. */
  scopes?: string[];
}

/**
 * ISC scope check: `sp:scopes:all` (the default scope of PATs, API clients and user logins) grants every operation;
 * otherwise the token needs one of the operation's scopes, a `:manage` scope also granting its `:read` (contract
 * security, e.g. GET /certifications needs idn:campaign:read, POST …/decide idn:campaign:manage).
 */
export function iscScopesAllow(granted: readonly string[], required: readonly string[]): boolean {
  if (!required.length || granted.includes('sp:scopes:all')) return true;
  return required.some((r) => granted.includes(r) || (r.endsWith(':read') && granted.includes(`${r.slice(0, -':read'.length)}:manage`)));
}

export function iscAuth(opts: IscAuthOptions = {}) {
  const admit = (c: Context<AppEnv>, res: AuthResult, next: () => Promise<void>): Promise<void> => {
    if (!res.ok) throw iscUnauthorized(res.reason);
    const principal = res.principal;
    if (opts.scopes && !iscScopesAllow(principal.scopes, opts.scopes)) {
      throw iscError(403, 'The server understood the request but refuses to authorize it.', '403 Forbidden');
    }
    if (opts.authorities?.length && !opts.authorities.some((a) => principal.authorities.includes(a))) {
      throw iscError(403, 'The server understood the request but refuses to authorize it.', '403 Forbidden');
    }
    setActor(c, principal);
    return next();
  };
  // as aicAuth: synchronous for a token verified before
  return createMiddleware<AppEnv>((c, next) => {
    const tokens = c.get('env').tokens;
    const header = requestHeader(c, 'authorization');
    const res = tokens.cachedHeader(header, iscPrincipal);
    return res ? admit(c, res, next) : tokens.authenticate(bearerToken(header), iscPrincipal).then((r) => admit(c, r, next));
  });
}
