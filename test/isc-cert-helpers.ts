// Shared by the isc-cert*.test.ts suites: default-seed identities and tokens obtained the way clients get them.
import { expect } from 'vitest';
import type { Emulator } from '../src/emulator.js';
import { call } from './helpers.js';

// default seed identities (seeds/default.source.json)
export const ALICE = '2bd806c97f0e00af1a1fc3328fa763a9';
export const BOB = '81b637d8fcd2c6da6359e6963113a117';
export const OLIVIA = 'b2471d941bf888366cf43813752ea2eb';
export const CARL = '69bfe1e6e44821df7f8a0927bd7e61ef';
export const CERT_AUTOMATION = 'd6c781f4c0b51172ce237eb0c9faa189';

export interface IscCreds {
  apiClients: Array<{ clientId: string; clientSecret: string }>;
  personalAccessTokens: Array<{ clientId: string; clientSecret: string; ownerId: string }>;
}

export async function iscCredentials(emu: Emulator): Promise<IscCreds> {
  const res = await call(emu, 'isc', 'GET', '/__emulator/credentials');
  expect(res.status).toBe(200);
  return res.body.environments.isc as IscCreds;
}

/** A token the way a client gets one: grant_type=client_credentials at POST /oauth/token with a PAT or an API client. */
export async function clientToken(emu: Emulator, clientId: string, clientSecret: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
  const res = await call(emu, 'isc', 'POST', '/oauth/token', { raw: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.status, res.text).toBe(200);
  return res.body.access_token as string;
}
