// GET /__emulator/events: server-sent change notifications (one stream per browser tab or tool). Each `change`
// event carries a batch `{at, changes: [{env, area, source?}]}`; `?env=a,b` and `?area=state,logs` narrow it.
// The stream says what changed, never the state itself: watchers re-read the JSON (or page) they show.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../core/types.js';
import type { Change } from '../core/changes.js';
import type { Emulator } from '../emulator.js';

/** A comment line every 15 s keeps proxies and idle-timeouts from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

const csv = (v: string | undefined): Set<string> | undefined => (v ? new Set(v.split(',').map((s) => s.trim()).filter(Boolean)) : undefined);

export function eventStream(c: Context<AppEnv>, emulator: Emulator): Response {
  const envs = csv(c.req.query('env'));
  const areas = csv(c.req.query('area'));
  const wanted = (ch: Change) => (!envs || ch.env === '*' || envs.has(ch.env)) && (!areas || areas.has(ch.area));
  return streamSSE(c, async (stream) => {
    let close!: () => void;
    const closed = new Promise<void>((resolve) => (close = resolve));
    const off = emulator.changes.subscribe((batch) => {
      const changes = batch.filter(wanted);
      if (changes.length) void stream.writeSSE({ event: 'change', data: JSON.stringify({ at: emulator.clock.nowIso(), changes }) }).catch(close);
    });
    const keepalive = setInterval(() => void stream.write(': keepalive\n\n').catch(close), KEEPALIVE_MS);
    keepalive.unref?.();
    stream.onAbort(close);
    await stream.writeSSE({ event: 'hello', data: JSON.stringify({ at: emulator.clock.nowIso(), environments: emulator.environments.map((e) => e.name) }) });
    await closed;
    off();
    clearInterval(keepalive);
  });
}
