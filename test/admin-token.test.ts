// POST /__emulator/token: each product's oauth area answers for its own environments (one body for both), and the
// control plane's errors are the {error} body with the status of the mistake.
import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { call, testEmulator } from './helpers.js';

describe('POST /__emulator/token', () => {
  const emu = testEmulator();
  const token = (body: unknown, from = 'dev') => call(emu, from, 'POST', '/__emulator/token', { body });

  it('mints an AIC token for an AIC environment and an ISC token for the ISC environment, from any environment', async () => {
    const aic = await token({ env: 'staging', subject: 'ci', scopes: ['fr:idm:*'], type: 'user' }, 'isc');
    expect(aic.status).toBe(200);
    const aicClaims = decodeJwt(aic.body.access_token);
    expect(aicClaims).toMatchObject({ sub: 'ci', aud: 'emulator-control-plane', principalType: 'user', scope: ['fr:idm:*'] });
    expect(aic.body).toMatchObject({ token_type: 'Bearer', scope: 'fr:idm:*' });

    const identityId = emu.isc.slice<{ identities: { id: string }[] }>('identities').identities[0]!.id;
    const isc = await token({ env: 'isc', identityId, expiresIn: 60 }, 'dev');
    expect(isc.status).toBe(200);
    expect(decodeJwt(isc.body.access_token)).toMatchObject({ identity_id: identityId, client_id: 'emulator-control-plane' });
    expect(isc.body.expires_in).toBe(60);
  });

  it('refuses what each product needs, an unknown environment or identity, and a body that does not fit', async () => {
    expect(await token({ env: 'dev' })).toMatchObject({ status: 400, body: { error: 'subject is required for an AIC token' } });
    expect(await token({ env: 'isc', subject: 'x' })).toMatchObject({ status: 400, body: { error: 'identityId is required for an ISC token' } });
    expect(await token({ env: 'isc', identityId: 'nobody' })).toMatchObject({ status: 404, body: { error: 'no identity nobody' } });
    expect(await token({ env: 'qa', subject: 'x' })).toMatchObject({ status: 404, body: { error: 'no environment qa' } });
    const bad = await token({ env: 'dev', subject: 'x', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid body');
  });
});
