// Drive the ISC tenant with SailPoint's own SDK (sailpoint-api-client) the way its users do: a Configuration with a
// base URL and client id/secret (a PAT or an API client), which posts a multipart client_credentials request to
// /oauth/token, then the generated API classes. The SDK talks axios; the adapter installed here carries each axios
// request into the emulator in-process (emu.request), so tests need no listener and stay deterministic.
import { createRequire } from 'node:module';
import type { AxiosAdapter, AxiosResponse, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { Configuration } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { testEmulator } from './helpers.js';
import { iscCredentials } from './isc-cert-helpers.js';

// the SDK is CommonJS: it requires axios' CJS build, a different module instance from an ESM import of 'axios'
const axios = createRequire(createRequire(import.meta.url).resolve('sailpoint-api-client'))('axios') as AxiosStatic;
const { AxiosError } = axios;
type AxiosErrorT = InstanceType<typeof AxiosError>;

export const SDK_BASE = 'http://isc.localhost';

function inProcessAdapter(emu: Emulator, envName: string): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const url = new URL(axios.getUri(config), SDK_BASE);
    const headers = new Headers();
    const raw = (config.headers?.toJSON?.() ?? config.headers ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== null && v !== false) headers.set(k, String(v));
    let body: string | Uint8Array | undefined;
    const data = config.data as unknown;
    if (data && typeof (data as { getBuffer?: unknown }).getBuffer === 'function') {
      // the `form-data` package the SDK's token request uses: its multipart bytes and boundary header
      const fd = data as { getBuffer(): Buffer; getHeaders(): Record<string, string> };
      body = new Uint8Array(fd.getBuffer());
      for (const [k, v] of Object.entries(fd.getHeaders())) headers.set(k, v);
    } else if (data !== undefined && data !== null) {
      body = typeof data === 'string' ? data : JSON.stringify(data);
    }
    const res = await emu.request(envName, url.pathname + url.search, { method: (config.method ?? 'get').toUpperCase(), headers, body });
    const response: AxiosResponse = {
      data: await res.text(), // axios' transformResponse parses JSON, as it does for the http adapter
      status: res.status,
      statusText: res.statusText,
      headers: Object.fromEntries(res.headers) as AxiosResponse['headers'],
      config,
      request: {},
    };
    if (!config.validateStatus || config.validateStatus(res.status)) return response;
    throw new AxiosError(`Request failed with status code ${res.status}`, res.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST, config, {}, response);
  };
}

/** Route every axios request (the SDK's token request and API calls) into `emu`'s ISC environment. */
export function useInProcessAxios(emu: Emulator, envName = emu.isc.name): void {
  axios.defaults.adapter = inProcessAdapter(emu, envName);
}

/** The SDK configuration a user writes: base URL, token URL and the client id/secret of a PAT or API client. */
export function sdkConfig(clientId: string, clientSecret: string): Configuration {
  return new Configuration({ baseurl: SDK_BASE, tokenUrl: `${SDK_BASE}/oauth/token`, clientId, clientSecret });
}

/** The status and body of a failed SDK call (axios rejects on 4xx/5xx). */
export async function sdkFailure(p: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AxiosError && (err as AxiosErrorT).response) return { status: (err as AxiosErrorT).response!.status, body: (err as AxiosErrorT).response!.data };
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

/** A fresh emulator with the SDK routed into it, and `as(identityId)`: the SDK configuration of that identity's PAT. */
export async function sdkEmulator(): Promise<{ emu: Emulator; as: (identityId: string) => Configuration }> {
  const emu = testEmulator();
  useInProcessAxios(emu);
  const creds = await iscCredentials(emu);
  const as = (identityId: string) => {
    const pat = creds.personalAccessTokens.find((p) => p.ownerId === identityId)!;
    return sdkConfig(pat.clientId, pat.clientSecret);
  };
  return { emu, as };
}
