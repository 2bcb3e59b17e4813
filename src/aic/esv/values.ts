// ESV views (keys in the service's order, recordings esv-*.json) and value validation: names, base64, expression
// types and secret encodings (S4 L1221–2070).
import { Invalid } from '../../core/errors.js';
import type { Encoding, ExpressionType, Secret, SecretVersion, Variable } from './model.js';
import { MAX_NAME, MAX_VALUE_BYTES, microStamp, NAME } from './state.js';

// ---------------------------------------------------------------- views (keys in the service's order)

export function variableView(v: Variable, precise = false) {
  return {
    _id: v._id,
    description: v.description,
    expressionType: v.expressionType,
    lastChangeDate: precise ? v.lastChangeDate : microStamp(v.lastChangeDate),
    lastChangedBy: v.lastChangedBy,
    loaded: v.loaded,
    valueBase64: v.valueBase64,
  };
}

export function secretView(s: Secret, precise = false) {
  return {
    _id: s._id,
    activeVersion: s.activeVersion,
    description: s.description,
    encoding: s.encoding,
    lastChangeDate: precise ? s.lastChangeDate : microStamp(s.lastChangeDate),
    lastChangedBy: s.lastChangedBy,
    loaded: s.loaded,
    loadedVersion: s.loadedVersion,
    useInPlaceholders: s.useInPlaceholders,
  };
}

/** A version's `loaded`: recordings show false even for the loaded version of a useInPlaceholders=false secret. */
export function versionView(s: Secret, v: SecretVersion) {
  return {
    createDate: microStamp(v.createDate),
    loaded: s.useInPlaceholders && s.loaded && s.loadedVersion === v.version,
    status: v.status,
    version: v.version,
  };
}

// ---------------------------------------------------------------- validation

export function validName(name: string): boolean {
  return name.length <= MAX_NAME && NAME.test(name);
}

export function nameError(kind: 'variable' | 'secret', name: string) {
  return new Invalid(
    `Invalid ${kind} name ${JSON.stringify(name)}: names must start with esv-, contain only alphanumeric characters, hyphens and underscores, and be at most ${MAX_NAME} characters`,
  );
}

/** The value without whitespace (a value without any is returned as it is, with no regex replace). */
export function compactBase64(value: string): string {
  return WHITESPACE.test(value) ? value.replace(/\s+/g, '') : value;
}
const WHITESPACE = /\s/;

/** Strict standard base64 (padding required); undefined when invalid. */
export function decodeBase64(value: string): Buffer | undefined {
  const compact = compactBase64(value);
  if (!isBase64(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Standard padded base64, checked in one loop (a regex over a multi-megabyte value overflows the regex engine's stack). */
function isBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  const pad = n > 0 && text.charCodeAt(n - 1) === 61 /* = */ ? (text.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  for (let i = 0; i < n - pad; i++) {
    const ch = text.charCodeAt(i);
    const ok = (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57) || ch === 43 || ch === 47;
    if (!ok) return false;
  }
  return true;
}

/**
 * What is wrong with a `valueBase64` field, in the service's words (the body schemas' check, model.ts); undefined
 * when it holds a value. S4 L1239, L1437: at most 65535 bytes.
 */
export function valueProblem(valueBase64: unknown, allowEmpty: boolean): string | undefined {
  if (valueBase64 === undefined || valueBase64 === null) return 'valueBase64 is required';
  if (typeof valueBase64 !== 'string') return 'valueBase64 must be a base64 encoded string';
  const compact = compactBase64(valueBase64);
  if (!isBase64(compact)) return 'valueBase64 is not valid base64';
  // the size decodeBase64 would give, without decoding (strict padded base64: 3 bytes per 4 characters, less padding)
  const bytes = decodedLength(compact);
  if (!allowEmpty && bytes === 0) return 'valueBase64 cannot be empty';
  if (bytes > MAX_VALUE_BYTES) return `The value exceeds the maximum size of ${MAX_VALUE_BYTES} bytes`;
  return undefined;
}

/** The number of bytes strict padded base64 text (isBase64) decodes to. */
export function decodedLength(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  const pad = text.charCodeAt(n - 1) === 61 /* = */ ? (text.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  return (n / 4) * 3 - pad;
}

const INT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The expression types any decoded text is valid for (expressionProblem never reads the value). */
export const ANY_TEXT: ReadonlySet<ExpressionType | ''> = new Set<ExpressionType | ''>(['', 'string', 'list', 'base64encodedinlined']);

/** S4 L1262–1380: the decoded value must parse as the variable's expressionType. Returns what is wrong, if anything. */
export function expressionProblem(type: ExpressionType | '', text: string): string | undefined {
  const t = text.trim();
  const json = (): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      return undefined;
    }
  };
  switch (type) {
    case '':
    case 'string':
    case 'list': // comma-separated list: any text is a list of one or more items
    case 'base64encodedinlined': // inlined as is (no recorded constraint)
      return undefined;
    case 'int': {
      // IDM's $int is a 32-bit integer
      if (!INT.test(t)) return 'an integer';
      const n = Number(t);
      return n >= -2147483648 && n <= 2147483647 ? undefined : 'an integer between -2147483648 and 2147483647';
    }
    case 'number':
      return NUMBER.test(t) && Number.isFinite(Number(t)) ? undefined : 'a number';
    case 'bool':
      return /^(true|false)$/i.test(t) ? undefined : 'true or false';
    case 'array':
      return Array.isArray(json()) ? undefined : 'a JSON array';
    case 'object': {
      const v = json();
      return v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'a JSON object';
    }
    case 'keyvaluelist': {
      // recording esv-variables: {"k1":"v1","k2":"v2","k3":"v3"}
      const v = json();
      return v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object')
        ? undefined
        : 'a JSON object of keys and values';
    }
  }
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/;

/** S4 L1460–1480 and "Generate an AES or HMAC key": what each encoding expects in the decoded value. */
export function encodingProblem(encoding: Encoding, value: Buffer): string | undefined {
  const text = value.toString('utf8');
  switch (encoding) {
    case 'generic':
      return undefined;
    case 'pem': {
      const m = PEM.exec(text);
      if (!m || !decodeBase64(m[2]!.replace(/\s+/g, ''))?.length) return 'a PEM encoded key or certificate (-----BEGIN …----- base64 -----END …-----)';
      return undefined;
    }
    case 'base64aes': {
      const key = decodeBase64(text.trim());
      return key && [16, 24, 32].includes(key.length) ? undefined : 'a base64 encoded 128, 192 or 256-bit AES key';
    }
    case 'base64hmac': {
      const key = decodeBase64(text.trim());
      return key && key.length > 0 ? undefined : 'a base64 encoded HMAC key';
    }
  }
}
