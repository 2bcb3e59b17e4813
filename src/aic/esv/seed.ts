// Fixture → ESV state, and the default ESVs of an AIC environment (generated when the fixture leaves them out).
// Deterministic: faker from the seed context and timestamps relative to ctx.referenceTime.
import type { Faker } from '@faker-js/faker';
import type { SeedContext } from '../../core/types.js';
import { compareKeys } from '../../core/crest.js';
import type { EsvFixtureParsed, EsvState, ExpressionType, Secret, SecretVersion, Variable } from './model.js';

type VariableIn = NonNullable<NonNullable<EsvFixtureParsed['esv']>['variables']>[number];
type SecretIn = NonNullable<NonNullable<EsvFixtureParsed['esv']>['secrets']>[number];

/** Current release shown by GET /environment/release (recording environment-startup-release-count). */
export const DEFAULT_RELEASE = '14467.0';
export const DEFAULT_RESTART_MS = 10_000;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function seedEsv(section: EsvFixtureParsed, ctx: SeedContext): EsvState {
  const f = section.esv;
  const defaults = f?.variables && f?.secrets ? undefined : defaultEsvs(ctx);
  const by = defaultActor(ctx);
  const at = new Date(ctx.referenceTime).toISOString();
  const variables = (f?.variables ?? defaults!.variables).map((v) => variableFrom(v, by, at));
  const secrets = (f?.secrets ?? defaults!.secrets).map((s) => secretFrom(s, by, at));
  variables.sort((a, b) => compareKeys(a._id, b._id));
  secrets.sort((a, b) => compareKeys(a._id, b._id));
  return {
    variables,
    secrets,
    restart: {
      restartStatus: f?.restart?.restartStatus ?? 'ready',
      startedAt: f?.restart?.startedAt ?? null,
      completesAt: f?.restart?.completesAt ?? null,
      durationMs: f?.restart?.durationMs ?? DEFAULT_RESTART_MS,
    },
    release: f?.release ? { ...f.release } : { currentVersion: DEFAULT_RELEASE },
  };
}

/** State → fixture: everything, secret values included, so seed(snapshot(s)) == s. */
export function snapshotEsv(state: EsvState): { esv: EsvFixtureParsed['esv'] } {
  return {
    esv: {
      variables: state.variables.map((v) => ({ ...v })),
      secrets: state.secrets.map((s) => ({ ...s, versions: s.versions.map((x) => ({ ...x })) })),
      restart: { ...state.restart },
      release: { ...state.release },
    },
  };
}

function variableFrom(v: VariableIn, by: string, at: string): Variable {
  return {
    _id: v._id,
    description: v.description ?? '',
    expressionType: v.expressionType ?? 'string',
    valueBase64: v.valueBase64 ?? b64(v.value ?? ''),
    lastChangeDate: v.lastChangeDate ?? at,
    lastChangedBy: v.lastChangedBy ?? by,
    loaded: v.loaded ?? true,
  };
}

function secretFrom(s: SecretIn, by: string, at: string): Secret {
  const versions: SecretVersion[] = s.versions?.length
    ? s.versions.map((x) => ({
        version: x.version,
        createDate: x.createDate ?? s.lastChangeDate ?? at,
        status: x.status ?? 'ENABLED',
        valueBase64: x.valueBase64 ?? (x.value !== undefined ? b64(x.value) : ''),
      }))
    : [{ version: '1', createDate: s.lastChangeDate ?? at, status: 'ENABLED', valueBase64: s.valueBase64 ?? b64(s.value ?? '') }];
  versions.sort((a, b) => Number(b.version) - Number(a.version));
  const activeVersion = s.activeVersion ?? versions.find((x) => x.status !== 'DESTROYED')?.version ?? '';
  const useInPlaceholders = s.useInPlaceholders ?? true;
  const loaded = s.loaded ?? true;
  return {
    _id: s._id,
    description: s.description ?? '',
    encoding: s.encoding ?? 'generic',
    useInPlaceholders,
    activeVersion,
    loaded,
    loadedVersion: s.loadedVersion ?? (loaded ? activeVersion : ''),
    lastChangeDate: s.lastChangeDate ?? at,
    lastChangedBy: s.lastChangedBy ?? by,
    versions,
  };
}

/** The service account that "created" seeded ESVs: the environment's first one, else a generated id. */
function defaultActor(ctx: SeedContext): string {
  const creds = ctx.state.credentials as { serviceAccounts?: Array<{ _id: string }> } | undefined;
  return creds?.serviceAccounts?.[0]?._id ?? '8efaa5b6-8c98-4489-9b21-ee41f5589ab7';
}

/**
 * A handful of realistic ESVs per environment. Several are referenced by the default configuration's
 * placeholders (`&{esv.smtp.host}`, `&{esv.smtp.port}`, `&{esv.ldap.url}`, `&{esv.idm.admin.password}`, …),
 * so they cannot be deleted while that configuration exists. Values differ per environment, as ESVs do.
 */
function defaultEsvs(ctx: SeedContext): { variables: VariableIn[]; secrets: SecretIn[] } {
  const f: Faker = ctx.faker;
  const env = ctx.envName;
  const domain = env === 'prod' ? 'example.com' : `${env}.example.com`;
  const ref = ctx.referenceTime;
  const day = 86_400_000;
  // stamps at microsecond precision, as the service stores them
  const stamp = (daysBack: number) => {
    const ms = ref - daysBack * day - f.number.int({ min: 0, max: day - 1 });
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 23)}${String(f.number.int({ min: 0, max: 999 })).padStart(3, '0')}Z`.replace(/\.?0+Z$/, 'Z');
  };
  const variable = (id: string, type: ExpressionType, value: string, description: string): VariableIn => ({
    _id: id,
    description,
    expressionType: type,
    valueBase64: b64(value),
    lastChangeDate: stamp(f.number.int({ min: 20, max: 200 })),
    loaded: true,
  });
  const variables: VariableIn[] = [
    variable('esv-smtp-host', 'string', `smtp.${domain}`, 'Outbound SMTP server for email notifications'),
    variable('esv-smtp-port', 'int', '587', 'Outbound SMTP port'),
    variable('esv-smtp-from-email', 'string', `no-reply@${domain}`, 'Sender address of notification emails'),
    variable('esv-email-provider-use-ssl', 'bool', 'true', 'Use TLS when connecting to the SMTP server'),
    variable('esv-ldap-url', 'string', `ldaps://ldap.${domain}:636`, 'Directory server used by the LDAP connector'),
    variable('esv-cors-accepted-origins', 'array', JSON.stringify([`https://app.${domain}`, `https://admin.${domain}`]), 'Origins allowed by the CORS filter'),
    variable('esv-journey-welcome-description', 'object', JSON.stringify({ en: 'Welcome back', fr: 'Bon retour' }), 'Localised welcome text of the login journey'),
  ];
  // dev only: the ESV behind dev's new `&{esv.email.from}` placeholder (config defaults), not yet created upstream,
  // so promoting that change finds it missing in staging (S4 "Integrity check for missing ESVs")
  if (env === 'dev') variables.push(variable('esv-email-from', 'string', `no-reply@${domain}`, 'Sender of account emails'));
  const hmacKey = Buffer.from(f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' }), 'hex').toString('base64');
  const secret = (id: string, description: string, value: string, extra: Partial<SecretIn> = {}): SecretIn => {
    const created = stamp(f.number.int({ min: 60, max: 300 }));
    return {
      _id: id,
      description,
      encoding: 'generic',
      useInPlaceholders: true,
      versions: [{ version: '1', createDate: created, status: 'ENABLED', valueBase64: b64(value) }],
      lastChangeDate: created,
      ...extra,
    } as SecretIn;
  };
  const rotatedAt = stamp(f.number.int({ min: 5, max: 19 }));
  const secrets: SecretIn[] = [
    {
      ...secret('esv-idm-admin-password', 'Password of the IDM administrative account', f.internet.password({ length: 24 })),
      // rotated once: version 2 active, version 1 kept enabled
      versions: [
        { version: '2', createDate: rotatedAt, status: 'ENABLED', valueBase64: b64(f.internet.password({ length: 24 })) },
        { version: '1', createDate: stamp(f.number.int({ min: 60, max: 300 })), status: 'ENABLED', valueBase64: b64(f.internet.password({ length: 24 })) },
      ],
      lastChangeDate: rotatedAt,
    } as SecretIn,
    secret('esv-smtp-password', 'Password of the SMTP relay account', f.internet.password({ length: 20 })),
    secret('esv-ldap-bind-password', 'Bind password of the LDAP connector', f.internet.password({ length: 20 })),
    // S4 "Map ESV secrets to secret labels": signing keys use useInPlaceholders=false and a key encoding
    secret('esv-oauth2-signing-key', 'HMAC key signing stateless OAuth 2.0 tokens', hmacKey, { encoding: 'base64hmac', useInPlaceholders: false }),
  ];
  return { variables, secrets };
}
