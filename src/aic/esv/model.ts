// ESV (environment secrets and variables) schemas: fixture, state and wire shapes (SPEC §2, S4 L1221–2070,
// recordings esv-variables.json, esv-secrets.json, environment-startup-release-count.json).
import { z } from '@hono/zod-openapi';
import { valueProblem } from './values.js';
import { lazy } from '../../core/lazy.js';

/**
 * S4 L1290–1380 plus recording esv-variables (keyvaluelist) and a live-tenant report (base64encodedinlined);
 * '' = a legacy variable created before expressionType.
 */
export const EXPRESSION_TYPES = ['string', 'array', 'object', 'bool', 'int', 'number', 'list', 'keyvaluelist', 'base64encodedinlined'] as const;
export type ExpressionType = (typeof EXPRESSION_TYPES)[number];

/** S4 L1460–1480: encoding formats of a secret. */
export const ENCODINGS = ['generic', 'pem', 'base64aes', 'base64hmac'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const VERSION_STATUSES = ['ENABLED', 'DISABLED', 'DESTROYED'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

// ---------------------------------------------------------------- state (JSON, persisted and snapshotted)

export interface Variable {
  _id: string;
  description: string;
  /** '' only for legacy variables (recording esv-variables: esv-ipv4-cidr-access-rules). */
  expressionType: ExpressionType | '';
  valueBase64: string;
  /** RFC 3339 with up to nanosecond precision (write responses show it whole; reads show microseconds). */
  lastChangeDate: string;
  lastChangedBy: string;
  loaded: boolean;
}

export interface SecretVersion {
  version: string;
  createDate: string;
  status: VersionStatus;
  /** Never returned by a product endpoint; kept so snapshots are lossless. '' once DESTROYED. */
  valueBase64: string;
}

export interface Secret {
  _id: string;
  description: string;
  encoding: Encoding;
  useInPlaceholders: boolean;
  activeVersion: string;
  loaded: boolean;
  loadedVersion: string;
  lastChangeDate: string;
  lastChangedBy: string;
  /** Newest first, as GET …/versions lists them. */
  versions: SecretVersion[];
}

export interface RestartState {
  restartStatus: 'ready' | 'restarting';
  /** Emulator time (ISO) the current/last restart started and (will) finish. */
  startedAt: string | null;
  completesAt: string | null;
  /** How long a restart takes in emulator time. */
  durationMs: number;
}

export interface ReleaseInfo {
  currentVersion: string;
  nextUpgrade?: string;
}

export interface EsvState {
  variables: Variable[];
  secrets: Secret[];
  restart: RestartState;
  release: ReleaseInfo;
}

// ---------------------------------------------------------------- fixture

const esvName = lazy(() => z.string().regex(/^esv-[A-Za-z0-9_-]+$/).max(124));

const variableFixture = lazy(() =>
  z
    .object({
      _id: esvName(),
      description: z.string().default(''),
      expressionType: z.enum([...EXPRESSION_TYPES, '']).default('string'),
      /** Either valueBase64 or value (plain text, encoded when seeding). */
      valueBase64: z.string().optional(),
      value: z.string().optional(),
      lastChangeDate: z.string().optional(),
      lastChangedBy: z.string().optional(),
      /** Default true: seeded ESVs are already loaded by a past restart. */
      loaded: z.boolean().default(true),
    })
    .strict()
    .refine((v) => v.valueBase64 !== undefined || v.value !== undefined, { message: 'a variable needs valueBase64 or value' }),
);

const versionFixture = lazy(() =>
  z
    .object({
      version: z.string().regex(/^\d+$/),
      createDate: z.string().optional(),
      status: z.enum(VERSION_STATUSES).default('ENABLED'),
      valueBase64: z.string().optional(),
      value: z.string().optional(),
    })
    .strict(),
);

const secretFixture = lazy(() =>
  z
    .object({
      _id: esvName(),
      description: z.string().default(''),
      encoding: z.enum(ENCODINGS).default('generic'),
      useInPlaceholders: z.boolean().default(true),
      /** Shortcut for a single-version secret (version "1"). */
      valueBase64: z.string().optional(),
      value: z.string().optional(),
      versions: z.array(versionFixture()).optional(),
      activeVersion: z.string().optional(),
      loaded: z.boolean().optional(),
      loadedVersion: z.string().optional(),
      lastChangeDate: z.string().optional(),
      lastChangedBy: z.string().optional(),
    })
    .strict()
    .refine((s) => s.versions?.length || s.valueBase64 !== undefined || s.value !== undefined, {
      message: 'a secret needs versions, valueBase64 or value',
    }),
);

export const esvFixture = lazy(() =>
  z.object({
    /**
     * This environment's ESVs. Absent: a default set is generated (some referenced by the default config).
     * Inside it, an absent `variables` or `secrets` list is generated too; give `[]` for none.
     */
    esv: z
      .object({
        variables: z.array(variableFixture()).optional(),
        secrets: z.array(secretFixture()).optional(),
        restart: z
          .object({
            restartStatus: z.enum(['ready', 'restarting']).default('ready'),
            startedAt: z.string().nullable().default(null),
            completesAt: z.string().nullable().default(null),
            durationMs: z.number().int().min(0).default(10_000),
          })
          .strict()
          .optional(),
        release: z.object({ currentVersion: z.string(), nextUpgrade: z.string().optional() }).strict().optional(),
      })
      .strict()
      .optional(),
  }),
);
export type EsvFixture = z.input<ReturnType<typeof esvFixture>>;
export type EsvFixtureParsed = z.output<ReturnType<typeof esvFixture>>;

// ---------------------------------------------------------------- wire shapes (keys in the order the service sends them)

export const variableView = lazy(() =>
  z
    .object({
      _id: z.string(),
      description: z.string(),
      expressionType: z.string(),
      lastChangeDate: z.string(),
      lastChangedBy: z.string(),
      loaded: z.boolean(),
      valueBase64: z.string(),
    })
    .openapi('EsvVariable'),
);

export const secretView = lazy(() =>
  z
    .object({
      _id: z.string(),
      activeVersion: z.string(),
      description: z.string(),
      encoding: z.string(),
      lastChangeDate: z.string(),
      lastChangedBy: z.string(),
      loaded: z.boolean(),
      loadedVersion: z.string(),
      useInPlaceholders: z.boolean(),
    })
    .openapi('EsvSecret'),
);

export const versionView = lazy(() =>
  z
    .object({ createDate: z.string(), loaded: z.boolean(), status: z.enum(VERSION_STATUSES), version: z.string() })
    .openapi('EsvSecretVersion'),
);

export const errorBody = lazy(() => z.object({ code: z.number(), message: z.string() }).openapi('EnvironmentError'));

export const pagedOf = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z
    .object({
      pagedResultsCookie: z.string().nullable(),
      remainingPagedResults: z.number(),
      result: z.array(item),
      resultCount: z.number(),
      totalPagedResults: z.number(),
      totalPagedResultsPolicy: z.enum(['NONE', 'EXACT', 'ESTIMATE']),
    })
    .openapi(name);

// Request bodies, declared on the routes: each check carries the service's own sentence (routes.ts renders it as the
// environment API's `{"code":400,"message":…}` as written, core/http productMessageHook). Unknown fields pass.
const descriptionField = lazy(() => z.string({ error: 'description must be a string' }).nullish());
/** A base64 value (required; a secret's may not be empty). */
const value = (allowEmpty: boolean) =>
  z.custom<string>((v) => valueProblem(v, allowEmpty) === undefined, { error: (iss) => valueProblem(iss.input, allowEmpty) }).openapi({ type: 'string', format: 'byte' });
const oneOf = (field: string, values: readonly string[]) => (iss: { input?: unknown }) => `Invalid ${field} ${JSON.stringify(iss.input)}; expected one of ${values.join(', ')}`;

export const putVariableBody = lazy(() =>
  z
    .object({
      valueBase64: value(true),
      description: descriptionField(),
      // '' and null read as absent (a legacy variable's type may be set once)
      expressionType: z.enum([...EXPRESSION_TYPES, ''], { error: oneOf('expressionType', EXPRESSION_TYPES) }).nullish(),
    })
    .passthrough()
    .openapi('EsvVariablePut'),
);
export const putSecretBody = lazy(() =>
  z
    .object({
      valueBase64: value(false),
      description: descriptionField(),
      encoding: z.enum(ENCODINGS, { error: oneOf('encoding', ENCODINGS) }).nullish(),
      useInPlaceholders: z.boolean({ error: 'useInPlaceholders must be a boolean' }).nullish(),
    })
    .passthrough()
    .openapi('EsvSecretPut'),
);
export const descriptionBody = lazy(() =>
  z.object({ description: z.string({ error: 'description is required' }) }).passthrough().openapi('EsvDescription'),
);
export const versionCreateBody = lazy(() => z.object({ valueBase64: value(false) }).passthrough().openapi('EsvSecretVersionCreate'));
export const changeStatusBody = lazy(() =>
  z
    .object({ status: z.enum(['ENABLED', 'DISABLED'], { error: (iss) => `Invalid status ${JSON.stringify(iss.input ?? null)}; expected ENABLED or DISABLED` }) })
    .passthrough()
    .openapi('EsvSecretVersionStatus'),
);
export type PutVariableInput = z.infer<ReturnType<typeof putVariableBody>>;
export type PutSecretInput = z.infer<ReturnType<typeof putSecretBody>>;
