// GET /__emulator/credentials as shell variables (`tenant-emulator credentials --format env`), so a CI step can
// `eval "$(tenant-emulator credentials --format env)"`: AIC_<ENV>_* per AIC environment, ISC_* for the ISC tenant.
// The shape read here is what the oauth areas contribute to /__emulator/credentials (aic/oauth, isc/oauth index.ts).

/** What `GET /__emulator/credentials` returns: per environment, its working credentials. */
export interface Credentials {
  environments: Record<string, Record<string, unknown>>;
}

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const name = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');

/** POSIX single-quoting: safe for any value, including JSON and secrets with `$` or quotes. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` lines, in a stable order. */
export function credentialsAsEnv(doc: Credentials): string[] {
  const vars: Array<[string, string | undefined]> = [];
  for (const [envName, creds] of Object.entries(doc.environments)) {
    const tokenUrl = str(creds.tokenUrl);
    if (Array.isArray(creds.apiClients) || Array.isArray(creds.personalAccessTokens)) {
      // ISC: the tenant's base URL, its token URL, the first API client, and each PAT by its owner's name
      const client = list(creds.apiClients)[0];
      vars.push(['ISC_URL', tokenUrl?.replace(/\/oauth\/token$/, '')], ['ISC_TOKEN_URL', tokenUrl], ['ISC_CLIENT_ID', str(client?.clientId)], ['ISC_CLIENT_SECRET', str(client?.clientSecret)]);
      for (const pat of list(creds.personalAccessTokens)) {
        const owner = name(str(pat.ownerName) ?? str(pat.ownerId) ?? 'owner');
        vars.push([`ISC_PAT_${owner}_CLIENT_ID`, str(pat.clientId)], [`ISC_PAT_${owner}_CLIENT_SECRET`, str(pat.clientSecret)]);
      }
      continue;
    }
    const p = `AIC_${name(envName)}_`;
    const client = list(creds.oauthClients)[0];
    const sa = list(creds.serviceAccounts)[0];
    const logKey = list(creds.logApiKeys)[0];
    const admin = list(creds.tenantAdmins)[0];
    vars.push(
      [`${p}URL`, tokenUrl?.replace(/\/am\/oauth2\/access_token$/, '')],
      [`${p}TOKEN_URL`, tokenUrl],
      [`${p}CLIENT_ID`, str(client?.clientId)],
      [`${p}CLIENT_SECRET`, str(client?.clientSecret)],
      [`${p}SA_ID`, str(sa?.id)],
      [`${p}SA_JWK`, sa?.privateJwk ? JSON.stringify(sa.privateJwk) : undefined],
      [`${p}LOG_API_KEY`, str(logKey?.id)],
      [`${p}LOG_API_SECRET`, str(logKey?.secret)],
      [`${p}ADMIN_USERNAME`, str(admin?.username)],
      [`${p}ADMIN_PASSWORD`, str(admin?.password)],
    );
  }
  return vars.filter((v): v is [string, string] => v[1] !== undefined).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}
