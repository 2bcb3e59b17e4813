// The access log behind a real listener: headers come from the Node request (not a fetch Headers object),
// credentials are never logged, and the entry is found by the transaction id the response carried.
import { describe, it, expect } from 'vitest';
import { testEmulator, aicToken } from './helpers.js';
import { listen } from '../src/server.js';

describe('access log over a real listener', () => {
  it('records the request headers without credentials', async () => {
    const emu = testEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      const dev = emu.env('dev')!;
      const token = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
      const res = await fetch(`${dev.url}/environment/variables/esv-smtp-host`, { headers: { authorization: `Bearer ${token}`, 'x-test-marker': 'hello' } });
      expect(res.status).toBe(200);
      const txId = res.headers.get('x-forgerock-transactionid')!;
      const key = dev.slice<{ logApiKeys: Array<{ id: string; secret: string }> }>('credentials').logApiKeys[0]!;
      const logs = await fetch(`${dev.url}/monitoring/logs?source=idm-access&transactionId=${encodeURIComponent(txId)}`, {
        headers: { 'x-api-key': key.id, 'x-api-secret': key.secret },
      });
      const body = (await logs.json()) as any;
      expect(body.result).toHaveLength(1);
      const headers = body.result[0].payload.http.request.headers;
      expect(headers['x-test-marker']).toEqual(['hello']);
      expect(headers.authorization).toBeUndefined();
      expect(body.result[0].payload.response).toMatchObject({ status: 'SUCCESSFUL', statusCode: '200' });
      expect(body.result[0].payload.userId).toBe('test-service-account');
    } finally {
      await l.close();
    }
  });
});
