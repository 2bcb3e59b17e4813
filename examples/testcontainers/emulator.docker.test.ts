// The emulator image under Testcontainers, as a Node suite would use it: a GenericContainer with fixed host ports
// (so PUBLIC_URL can name them before start), a wait strategy on /monitoring/health, credentials from the advertised
// URLs. Needs a Docker engine and the image (`docker build -t tenant-emulator:local .`): `npm run test:docker`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { createServer } from 'node:net';

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let container: StartedTestContainer;
let base: number;

beforeAll(async () => {
  // four consecutive free host ports: environment i is advertised at base + i
  for (;;) {
    base = await freePort();
    const taken = await Promise.all([1, 2, 3].map(async (i) => (await freePort()) === base + i));
    if (base < 65000 && !taken.includes(true)) break;
  }
  container = await new GenericContainer(process.env.TENANT_EMULATOR_IMAGE ?? 'tenant-emulator:local')
    .withExposedPorts(...[0, 1, 2, 3].map((i) => ({ container: 8080 + i, host: base + i })))
    .withEnvironment({ PUBLIC_URL: `http://localhost:${base}`, FROZEN: '1' })
    .withWaitStrategy(Wait.forHttp('/monitoring/health', 8080).forStatusCode(200))
    .start();
}, 120_000);

afterAll(async () => {
  await container?.stop();
});

it('hands out credentials whose token URL works from the host', async () => {
  const creds = (await (await fetch(`http://localhost:${base}/__emulator/credentials`)).json()) as any;
  const staging = creds.environments.staging;
  expect(staging.tokenUrl).toBe(`http://localhost:${base + 1}/am/oauth2/access_token`);
  const client = staging.oauthClients[0];
  const res = await fetch(staging.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'fr:idc:esv:read' }),
  });
  expect(res.status).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };
  const esvs = await fetch(`http://localhost:${base + 1}/environment/variables`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(esvs.status).toBe(200);
  expect(((await esvs.json()) as { result: unknown[] }).result.length).toBeGreaterThan(0);
});
