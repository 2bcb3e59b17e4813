// Realm updates and queries (src/aic/tenant): the body and query are checked by the route's schema with AM's own
// sentences (CREST 400), and a refused update leaves the realm as it was.
import { describe, expect, it } from 'vitest';
import { aicToken, call, testEmulator } from './helpers.js';

const BRAVO = '/am/json/global-config/realms/L2JyYXZv';
const bad = (message: string) => ({ code: 400, reason: 'Bad Request', message });

describe('realm update and query validation', () => {
  it('refuses a malformed update with the recorded sentence and changes nothing', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    let res = await call(emu, 'dev', 'PUT', BRAVO, { token, body: { active: false, aliases: ['ok', 7] } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(bad('aliases must be an array of strings'));
    res = await call(emu, 'dev', 'PUT', BRAVO, { token, body: { active: 'no' } });
    expect(res.body).toEqual(bad('active must be a boolean'));
    res = await call(emu, 'dev', 'PUT', BRAVO, { token, body: { aliases: 'x' } });
    expect(res.body).toEqual(bad('aliases must be an array of strings'));
    res = await call(emu, 'dev', 'PUT', BRAVO, { token, body: { name: 'charlie', active: false } });
    expect(res.body).toEqual(bad('Realm name cannot be changed'));
    const after = await call(emu, 'dev', 'GET', BRAVO, { token });
    expect(after.body).toMatchObject({ name: 'bravo', active: true, aliases: [] });
  });

  it('frodo sends the whole realm back: extra fields pass, active and aliases change', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const realm = (await call(emu, 'dev', 'GET', BRAVO, { token })).body;
    const res = await call(emu, 'dev', 'PUT', BRAVO, { token, body: { ...realm, active: false, aliases: ['b.example.com'] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'bravo', active: false, aliases: ['b.example.com'] });
  });

  it('a realm query needs _queryFilter (AM CREST)', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:am:*']);
    const res = await call(emu, 'dev', 'GET', '/am/json/global-config/realms', { token });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(bad('The request could not be processed because it did not specify a query expression, query filter, or query ID'));
    expect((await call(emu, 'dev', 'GET', '/am/json/global-config/realms?_queryFilter=name%20eq%20%22alpha%22', { token })).body.result.map((r: any) => r.name)).toEqual(['alpha']);
  });
});
