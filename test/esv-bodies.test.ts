// ESV request bodies and actions are declared on the routes (src/aic/esv/model.ts): each check answers the environment
// API's `{code:400, message}` with the service's own sentence, and a refused request changes nothing.
import { describe, it, expect, beforeEach } from 'vitest';
import { testEmulator, call, aicToken } from './helpers.js';
import type { Emulator } from '../src/emulator.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
let emu: Emulator;
let token: string;
beforeEach(async () => {
  emu = testEmulator();
  token = await aicToken(emu, 'dev', ['fr:idc:esv:*']);
});
const req = (method: string, path: string, body?: unknown) => call(emu, 'dev', method, path, { token, ...(body !== undefined ? { body } : {}) });
const bad = (message: string) => ({ code: 400, message });

describe('ESV bodies declared on the routes', () => {
  it('variables: each field answers its own sentence and nothing is stored', async () => {
    const cases: Array<[unknown, string]> = [
      [{ expressionType: 'string' }, 'valueBase64 is required'],
      [{ valueBase64: 7, expressionType: 'string' }, 'valueBase64 must be a base64 encoded string'],
      [{ valueBase64: 'abc', expressionType: 'string' }, 'valueBase64 is not valid base64'],
      [{ valueBase64: b64('x'), expressionType: 'float' }, 'Invalid expressionType "float"; expected one of string, array, object, bool, int, number, list, keyvaluelist, base64encodedinlined'],
      [{ valueBase64: b64('x'), expressionType: 'string', description: 5 }, 'description must be a string'],
    ];
    for (const [body, message] of cases) {
      const res = await req('PUT', '/environment/variables/esv-body-check', body);
      expect(res.status, message).toBe(400);
      expect(res.body, message).toEqual(bad(message));
    }
    // no body at all (no content-type): checked as {}
    const empty = await emu.request('dev', '/environment/variables/esv-body-check', { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
    expect(await empty.json()).toEqual(bad('valueBase64 is required'));
    expect((await req('GET', '/environment/variables/esv-body-check')).status).toBe(404);
    // null description and '' expressionType read as absent on an update
    expect((await req('PUT', '/environment/variables/esv-body-check', { valueBase64: b64('x'), expressionType: 'string' })).status).toBe(200);
    const upd = await req('PUT', '/environment/variables/esv-body-check', { valueBase64: b64('y'), expressionType: '', description: null });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ expressionType: 'string', valueBase64: b64('y') });
  });

  it('secrets and versions: encoding, useInPlaceholders, empty values, status', async () => {
    expect((await req('PUT', '/environment/secrets/esv-s1', { valueBase64: b64('x'), encoding: 'rot13' })).body).toEqual(bad('Invalid encoding "rot13"; expected one of generic, pem, base64aes, base64hmac'));
    expect((await req('PUT', '/environment/secrets/esv-s1', { valueBase64: b64('x'), useInPlaceholders: 'yes' })).body).toEqual(bad('useInPlaceholders must be a boolean'));
    expect((await req('PUT', '/environment/secrets/esv-s1', { valueBase64: '' })).body).toEqual(bad('valueBase64 cannot be empty'));
    expect((await req('GET', '/environment/secrets/esv-s1')).status).toBe(404);
    // null encoding / useInPlaceholders take the defaults
    const created = await req('PUT', '/environment/secrets/esv-s1', { valueBase64: b64('x'), encoding: null, useInPlaceholders: null });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ encoding: 'generic', useInPlaceholders: true });
    expect((await req('POST', '/environment/secrets/esv-s1/versions?_action=create', {})).body).toEqual(bad('valueBase64 is required'));
    expect((await req('POST', '/environment/secrets/esv-s1/versions/1?_action=changestatus', { status: 'BOGUS' })).body).toEqual(bad('Invalid status "BOGUS"; expected ENABLED or DISABLED'));
    expect((await req('POST', '/environment/secrets/esv-s1/versions/1?_action=changestatus', {})).body).toEqual(bad('Invalid status null; expected ENABLED or DISABLED'));
    expect((await req('GET', '/environment/secrets/esv-s1/versions')).body).toHaveLength(1);
  });

  it('actions: a missing or other _action, and a description action without a description', async () => {
    expect((await req('POST', '/environment/variables/esv-smtp-host', { description: 'd' })).body).toEqual(bad('Missing _action parameter'));
    expect((await req('POST', '/environment/variables/esv-smtp-host?_action=bogus', { description: 'd' })).body).toEqual(bad('Unsupported action bogus'));
    expect((await req('POST', '/environment/secrets/esv-smtp-password?_action=setDescription', {})).body).toEqual(bad('description is required'));
    expect((await req('POST', '/environment/startup?_action=bogus')).body).toEqual(bad('Unsupported action bogus'));
    const ok = await req('POST', '/environment/variables/esv-smtp-host?_action=setDescription', { description: 'SMTP host' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    expect((await req('GET', '/environment/variables/esv-smtp-host')).body.description).toBe('SMTP host');
  });
});
