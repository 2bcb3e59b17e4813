// No input to the authentication endpoints of either product produces a 500 (DESIGN: "A 500 from the emulator is a bug").
import { describe, expect, it } from 'vitest';
import { aicToken, call, iscToken, testEmulator } from './helpers.js';

const BODIES: Array<{ raw?: string; headers?: Record<string, string> }> = [
  {},
  { raw: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { raw: 'grant_type=%zz&client_id=%', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { raw: '{"a":', headers: { 'content-type': 'application/json' } },
  { raw: '[1,2,3]', headers: { 'content-type': 'application/json' } },
  { raw: 'null', headers: { 'content-type': 'application/json' } },
  { raw: '"str"', headers: { 'content-type': 'application/json' } },
  { raw: '--x\r\n', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
  { raw: 'plain', headers: { 'content-type': 'text/plain' } },
  { raw: '{"name":123,"jwks":{"keys":[]},"scopes":"x","accountStatus":"Maybe"}', headers: { 'content-type': 'application/json' } },
  { raw: '[{"operation":"replace","field":5},{"op":"x"}]', headers: { 'content-type': 'application/json' } },
  { raw: '{"authId":"nope","callbacks":[{"type":"NameCallback"}]}', headers: { 'content-type': 'application/json' } },
];

const AIC: Array<[string, string]> = [
  ['POST', '/am/oauth2/access_token'],
  ['POST', '/am/oauth2/realms/root/realms/alpha/access_token'],
  ['POST', '/am/oauth2/introspect'],
  ['POST', '/am/oauth2/token/revoke'],
  ['GET', '/am/oauth2/authorize?client_id=idmAdminClient&redirect_uri=%zz'],
  ['POST', '/am/oauth2/authorize'],
  ['POST', '/am/json/realms/root/authenticate'],
  ['POST', '/am/json/realms/root/realms/alpha/authenticate?authIndexType=service&authIndexValue=PasswordGrant'],
  ['POST', '/am/json/realms/root/sessions?_action=getSessionInfo'],
  ['POST', '/am/json/realms/root/sessions?_action=nope'],
  ['GET', '/am/json/serverinfo/%2A'],
  ['GET', '/am/json/serverinfo/other'],
  ['POST', '/openidm/managed/svcacct?_action=create'],
  ['GET', '/openidm/managed/svcacct?_queryFilter=((('],
  ['GET', '/openidm/managed/svcacct?_queryFilter=true&_pageSize=-5&_pagedResultsOffset=abc'],
  ['PUT', '/openidm/managed/svcacct/x'],
  ['PATCH', '/openidm/managed/svcacct/55ed8d3f-2367-421a-ad51-c4ea47893289'],
  ['DELETE', '/openidm/managed/svcacct/none'],
  ['POST', '/keys?_action=create'],
  ['DELETE', '/keys/none'],
];

const ISC: Array<[string, string]> = [
  ['POST', '/oauth/token'],
  ['POST', '/oauth/token?grant_type=authorization_code&client_id=x&client_secret=y&code=z'],
  ['GET', '/oauth/authorize?client_id=3f9a6c1e2b7d48e5a0c4f1d2e3b4a5c6&response_type=code&redirect_uri=%zz'],
  ['GET', '/oauth/authorize'],
  ['POST', '/v3/personal-access-tokens'],
  ['GET', '/v3/personal-access-tokens?owner-id=&filters=lastUsed%20le%20notadate'],
  ['PATCH', '/v3/personal-access-tokens/a64e4b10f0d9e078c6350b03ace339d2'],
  ['DELETE', '/v3/personal-access-tokens/none'],
];

describe('authentication endpoints never answer 500', () => {
  it('AIC', async () => {
    const emu = testEmulator();
    const token = await aicToken(emu, 'dev', ['fr:idm:*', 'fr:am:*']);
    for (const [method, path] of AIC) {
      for (const b of BODIES) {
        for (const auth of [undefined, token]) {
          const res = await call(emu, 'dev', method, path, method === 'GET' ? { token: auth } : { ...b, token: auth });
          expect(res.status, `${method} ${path} ${b.raw ?? ''}`).toBeLessThan(500);
        }
      }
    }
  });

  it('ISC', async () => {
    const emu = testEmulator();
    const token = await iscToken(emu, '2bd806c97f0e00af1a1fc3328fa763a9');
    for (const [method, path] of ISC) {
      for (const b of BODIES) {
        for (const auth of [undefined, token]) {
          const res = await call(emu, 'isc', method, path, method === 'GET' ? { token: auth } : { ...b, token: auth });
          expect(res.status, `${method} ${path} ${b.raw ?? ''}`).toBeLessThan(500);
        }
      }
    }
  });
});
