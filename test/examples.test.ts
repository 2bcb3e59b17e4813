// Every example fixture in seeds/examples validates, seeds, and answers with its own credentials.
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readFixtureFile } from '../src/fixtures/load.js';
import { testEmulator, call } from './helpers.js';

const DIR = fileURLToPath(new URL('../seeds/examples/', import.meta.url));

describe('example fixtures', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    it(`${file} validates, seeds deterministically and issues tokens to its own client`, async () => {
      const fixture = readFixtureFile(DIR + file);
      const a = testEmulator({ seedFile: DIR + file });
      const b = testEmulator({ seedFile: DIR + file });
      expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
      for (const envFixture of fixture.aic.environments) {
        const client = (envFixture as any).oauthClients?.[0];
        if (!client) continue;
        const res = await call(a, envFixture.name, 'POST', '/am/oauth2/access_token', {
          raw: 'grant_type=client_credentials',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
        });
        expect(res.status).toBe(200);
        expect(res.body.token_type).toBe('Bearer');
      }
    });
  }
});
