// Binds each environment to its own listener. A request whose Host header's first label names an environment
// (`staging.localhost:8080`) goes to that environment whatever port it arrived on, so one exposed port works too.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Emulator } from './emulator.js';
import type { Environment } from './environment.js';
import type { EnvBindings } from './core/types.js';
import { EmulatorResponse } from './core/response.js';
import { isPlainHealthCheck, listenerHealth } from './core/health.js';

/** Which environment serves a request that arrived on `listener`'s port. */
export function routeByHost(emulator: Emulator, listener: Environment, hostHeader: string | null | undefined): Environment {
  if (hostHeader) {
    const host = hostHeader.replace(/:\d+$/, '');
    const dot = host.indexOf('.');
    if (dot > 0) {
      const target = emulator.env(host.slice(0, dot).toLowerCase());
      if (target) return target;
    }
  }
  return listener;
}

/** The fetch handler of one listener (also usable in-process: `dispatcher(emu, env)(request)`). */
export function dispatcher(emulator: Emulator, listener: Environment) {
  // the node-server bindings ({ incoming, outgoing }) pass through as c.env (the access log reads parsed headers there)
  // (and the Host header is read from the Node request: touching req.headers would build a fetch Headers object)
  // the environment of the last Host header seen (clients send the same one on every call; the environments of an
  // emulator are fixed when it is built)
  let lastHost: string | null | undefined = null;
  let lastEnv = listener;
  return (req: Request, bindings?: { incoming?: { headers: { host?: string }; method?: string; url?: string } }): Response | Promise<Response> => {
    const host = bindings?.incoming ? bindings.incoming.headers.host : req.headers.get('host');
    let env = lastEnv;
    if (host !== lastHost) {
      env = lastEnv = routeByHost(emulator, listener, host);
      lastHost = host;
    }
    if (!bindings) return env.app.fetch(req);
    // node-server builds these bindings afresh for each request: the environment rides on them, no copy per request
    (bindings as EnvBindings).environment = env;
    // a plain health check is answered by the listener (core/health.ts); any other is answered before the product
    // routes are registered (Emulator.appOf)
    const health = isPlainHealthCheck(bindings.incoming);
    const answer = health ? listenerHealth(emulator, env, bindings as EnvBindings) : undefined;
    if (answer !== undefined) return answer;
    return emulator.appOf(env.product, health).fetch(req, bindings as EnvBindings);
  };
}

export interface Listening {
  servers: ServerType[];
  close(): Promise<void>;
}

/** A listener could not be opened: the message names the port, the environment and what to do. */
export class ListenError extends Error {}

function listenProblem(err: NodeJS.ErrnoException, env: Environment, host: string): string {
  const where = `port ${env.port} (environment ${env.name})`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `${where} is already in use: start with another first port, e.g. --port ${(env.port ?? 8080) - env.index + 100} (environments take P, P+1, …)`;
    case 'EACCES':
      return `${where} needs privileges this user does not have: use a port above 1024 with --port`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${host}: no such local address (use --host 127.0.0.1 or 0.0.0.0)`;
    default:
      return `cannot listen on ${host}:${env.port} for environment ${env.name}: ${err.message}`;
  }
}

export async function listen(emulator: Emulator): Promise<Listening> {
  // with a data dir, the seeded state is on disk from the first moment (not only after the first write)
  await emulator.flush();
  const servers: ServerType[] = [];
  for (const env of emulator.environments) {
    if (env.port === undefined) continue;
    try {
      const server = await new Promise<ServerType>((resolve, reject) => {
        const s = serve({ fetch: dispatcher(emulator, env), port: env.port, hostname: emulator.host, serverOptions: { ServerResponse: EmulatorResponse } }, () => resolve(s));
        s.once('error', reject);
      });
      env.port = (server.address() as AddressInfo).port;
      servers.push(server);
    } catch (err) {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      throw new ListenError(listenProblem(err as NodeJS.ErrnoException, env, emulator.host));
    }
  }
  // poll due jobs so clock-driven work (and its logs) happens even when nobody is asking
  const poller = setInterval(() => emulator.tick(), 250);
  poller.unref();
  return {
    servers,
    close: async () => {
      clearInterval(poller);
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        ),
      );
      await emulator.flush();
    },
  };
}
