// The logs API's guards are middleware (src/aic/logs/routes.ts): the API key is checked before anything else, every
// query and tail call counts against the rate limit — refused ones too, whose answer still carries X-RateLimit-* —
// and the window lives in env.memory, so a reset starts a fresh one.
import { describe, it, expect } from 'vitest';
import { testEmulator, call } from './helpers.js';

describe('logs guards', () => {
  it('no key: 401 before the request is counted; a bad parameter: 400 with the rate headers; reset: a fresh window', async () => {
    const emu = testEmulator();
    const k = emu.env('dev')!.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
    const headers = { 'x-api-key': k.id, 'x-api-secret': k.secret };
    for (const path of ['/monitoring/logs/sources', '/monitoring/logs?source=am-core', '/monitoring/logs/tail?source=am-core']) {
      const denied = await call(emu, 'dev', 'GET', path, { headers: { 'x-api-key': k.id, 'x-api-secret': 'wrong' } });
      expect(denied.status, path).toBe(401);
      expect(denied.body, path).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
      expect(denied.headers.get('x-ratelimit-remaining'), path).toBeNull();
    }
    const bad = await call(emu, 'dev', 'GET', '/monitoring/logs?source=am-core&_pageSize=0', { headers });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 400, reason: 'Bad Request', message: "Invalid _pageSize '0': expected a positive integer" });
    expect(bad.headers.get('x-ratelimit-remaining')).toBe('59');
    const missing = await call(emu, 'dev', 'GET', '/monitoring/logs/tail', { headers });
    expect(missing.body).toEqual({ code: 400, reason: 'Bad Request', message: 'The source query parameter is required' });
    expect(missing.headers.get('x-ratelimit-remaining')).toBe('58');
    expect((await call(emu, 'dev', 'POST', '/__emulator/reset')).status).toBeLessThan(300);
    const after = await call(emu, 'dev', 'GET', '/monitoring/logs?source=am-core', { headers });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('59');
  });
});
