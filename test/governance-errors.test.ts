// Governance views' refusals (src/aic/governance): the rules live in the service as domain errors, the IGA views
// answer IGA's `{message}` and the IDM user views CREST's `{code, reason, message}`.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';
import type { GovernanceState } from '../src/aic/governance/model.js';

describe('governance view errors', () => {
  it('IGA views: unknown user 404, another user 403, bad grantType and page size 400', async () => {
    const emu = testEmulator();
    const gov = emu.env('dev')!.slice<GovernanceState>('governance');
    const [a, b] = gov.users.slice(5, 7);
    const admin = await aicToken(emu, 'dev', ['fr:iga:*']);
    const missing = await call(emu, 'dev', 'GET', '/iga/governance/user/nobody/grants', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'User nobody not found.' });
    const t = await aicToken(emu, 'dev', ['fr:iga:*'], a!._id, 'user');
    const other = await call(emu, 'dev', 'GET', `/iga/governance/user/${b!._id}/grants`, { token: t });
    expect(other.body).toEqual({ message: 'User is not authorized to view this user.' });
    const grantType = await call(emu, 'dev', 'GET', `/iga/governance/user/${a!._id}/grants?grantType=bogus`, { token: admin });
    expect(grantType.status).toBe(400);
    expect(grantType.body).toEqual({ message: 'Invalid grantType: bogus' });
    expect((await call(emu, 'dev', 'GET', '/iga/governance/application?_pageSize=x', { token: admin })).body).toEqual({ message: 'Invalid _pageSize: x' });
  });

  it('IDM user views: CREST 404 and 400', async () => {
    const emu = testEmulator();
    const idm = await aicToken(emu, 'dev', ['fr:idm:*']);
    const res = await call(emu, 'dev', 'GET', '/openidm/managed/alpha_user/nobody', { token: idm });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, reason: 'Not Found', message: 'Object nobody not found in managed/alpha_user' });
    const noQuery = await call(emu, 'dev', 'GET', '/openidm/managed/alpha_user', { token: idm });
    expect(noQuery.body).toEqual({ code: 400, reason: 'Bad Request', message: 'The request could not be processed because it did not specify a query expression' });
  });
});
