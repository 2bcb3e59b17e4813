// The header lines a listener writes (issue #17: AIC's x-forgerock-transactionid goes into writeHead's header object
// by core/response.ts EmulatorResponse instead of a setHeader before it). The bytes must be what setHeader gave: the
// transaction id first, then the response's own headers in their order, then Node's; the caller's id echoed.
import { describe, it, expect } from 'vitest';
import net from 'node:net';
import http from 'node:http';
import { testEmulator, aicToken, rawHttp as raw } from './helpers.js';
import { listen, routeByHost } from '../src/server.js';
import { EmulatorResponse } from '../src/core/response.js';

/** The header block, Date and generated ids made stable. */
const head = (t: string) =>
  t
    .split('\r\n\r\n')[0]!
    .replace(/^Date: .*$/m, 'Date: X')
    .replace(/^x-forgerock-transactionid: (?!caller).*$/m, 'x-forgerock-transactionid: TX')
    .split('\r\n');

describe('listener header lines', () => {
  it('the transaction id first, then the response’s headers, as before; the caller’s id echoed', async () => {
    const emu = testEmulator({ port: 0 });
    const l = await listen(emu);
    try {
      const port = emu.env('dev')!.port!;
      const token = await aicToken(emu, 'dev', ['fr:idc:esv:read']);
      const get = (path: string, extra = '', method = 'GET') => raw(port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`).then(head);
      expect(await get('/monitoring/health')).toEqual(['HTTP/1.1 200 OK', 'x-forgerock-transactionid: TX', 'Content-Type: text/plain; charset=UTF-8', 'Date: X', 'Connection: close', 'Content-Length: 2']);
      expect(await get('/monitoring/health', '', 'HEAD')).toEqual(['HTTP/1.1 200 OK', 'x-forgerock-transactionid: TX', 'content-type: text/plain; charset=UTF-8', 'Date: X', 'Connection: close']);
      const auth = `Authorization: Bearer ${token}\r\n`;
      expect(await get('/environment/variables/esv-smtp-host', auth + 'x-forgerock-transactionid: caller-7\r\n')).toEqual([
        'HTTP/1.1 200 OK',
        'x-forgerock-transactionid: caller-7',
        'Content-Type: application/json',
        'Date: X',
        'Connection: close',
        expect.stringMatching(/^Content-Length: \d+$/),
      ]);
      // headers of the response itself (a Headers object: allow, content-type)
      expect(await get('/monitoring/health', '', 'PATCH')).toEqual([
        'HTTP/1.1 405 Method Not Allowed',
        'x-forgerock-transactionid: TX',
        'allow: GET, HEAD',
        'content-type: application/json',
        'Content-Length: 73',
        'Date: X',
        'Connection: close',
      ]);
      expect(await get('/environment/variables')).toEqual([
        'HTTP/1.1 401 Unauthorized',
        'x-forgerock-transactionid: TX',
        'content-type: application/json',
        expect.stringMatching(/^www-authenticate: Bearer/),
        expect.stringMatching(/^Content-Length: \d+$/),
        'Date: X',
        'Connection: close',
      ]);
      // ISC has no transaction id header
      expect((await raw(emu.isc.port!, 'GET /v3/certifications HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n').then(head)).join('\n')).not.toMatch(/transactionid/i);
    } finally {
      await l.close();
    }
  });

  it('EmulatorResponse: the id first in any writeHead form; a response carrying the header itself keeps setHeader’s result', async () => {
    const cases: Array<[string, (res: EmulatorResponse) => void]> = [
      ['object', (res) => res.writeHead(201, { 'content-type': 'text/plain', 'x-a': '1' })],
      ['message', (res) => res.writeHead(201, 'Made', { 'x-a': '1' })],
      ['none', (res) => res.writeHead(204)],
      ['array', (res) => res.writeHead(200, ['x-a', '1', 'x-b', '2'])],
      ['own', (res) => res.writeHead(200, { 'X-ForgeRock-TransactionId': 'from-response', 'x-a': '1' })],
      ['implicit', (res) => res.statusCode === 200 && undefined],
    ];
    for (const useClass of [false, true]) {
      const seen: string[] = [];
      const server = http.createServer({ ServerResponse: useClass ? EmulatorResponse : http.ServerResponse }, (req, res) => {
        const c = cases.find(([n]) => req.url === `/${n}`)!;
        if (useClass) (res as EmulatorResponse).transactionId = 'tx-1';
        else res.setHeader('x-forgerock-transactionid', 'tx-1');
        c[1](res as EmulatorResponse);
        res.end('body');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as net.AddressInfo).port;
      for (const [name] of cases) seen.push(head(await raw(port, `GET /${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).join('|'));
      await new Promise((r) => server.close(r));
      (useClass ? withClass : without).push(...seen);
    }
    expect(withClass).toEqual(without);
    expect(withClass[0]).toMatch(/^HTTP\/1.1 201 Created\|x-forgerock-transactionid: TX\|content-type: text\/plain\|x-a: 1\|/);
  });
});

const withClass: string[] = [];
const without: string[] = [];

describe('dispatcher', () => {
  it('routes by Host on every request, the same host again or another', async () => {
    const { dispatcher } = await import('../src/server.js');
    const emu = testEmulator();
    const dev = emu.env('dev')!;
    const route = dispatcher(emu, dev);
    const seq = ['staging.localhost:8080', 'staging.localhost:8080', '127.0.0.1:8080', 'isc.localhost', 'isc.localhost', undefined, 'STAGING.localhost', 'nope.localhost', 'dev.localhost:1', undefined];
    for (const host of seq) {
      const bindings = { incoming: { headers: { host } } } as { incoming: { headers: { host?: string } }; environment?: { name: string } };
      await route(new Request('http://x/monitoring/health'), bindings);
      expect([host, bindings.environment!.name]).toEqual([host, routeByHost(emu, dev, host).name]);
    }
  });
});
