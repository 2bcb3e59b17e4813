// The logs settings of an environment and the bounds of what it keeps: retention (S4 L4803: 30 days of emulator time)
// and the entry cap (docs/logs.md "What the emulator keeps").
import type { Environment } from '../../environment.js';
import { DEFAULT_MAX_ENTRIES } from '../../core/logbook.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_RETENTION_DAYS, type LogsFixture, type LogsState } from './model.js';

const DAY_MS = 24 * 3600_000;

/** The logs slice an AIC environment's fixture seeds. */
export function seedLogs(s: LogsFixture): LogsState {
  return {
    rateLimit: s.logs?.rateLimit ?? DEFAULT_RATE_LIMIT,
    retentionDays: s.logs?.retentionDays ?? DEFAULT_RETENTION_DAYS,
    wsFederation: s.logs?.wsFederation ?? false,
    backgroundTraffic: s.logs?.backgroundTraffic ?? null,
    maxEntries: s.logs?.maxEntries ?? null,
  };
}

/**
 * The logs settings of an environment, to read (defaults when the slice is missing, e.g. on ISC). While the state is
 * still to be built (in-memory start-up seeds lazily: core/store.ts EnvStore.defer), the settings are those its fixture
 * seeds, read without building the whole state: every request's access log reads them, and an unauthenticated or
 * health-like first call needs nothing else of the state (issue #17: cold start).
 */
export function logsState(env: Environment): LogsState {
  if (env.store.deferred) {
    // made once per deferral: every logged request reads these, and forget() (called with every defer and seed) drops it
    const seeded = env.memory('logs.seeded', () => (env.areas.some((a) => a.name === 'logs') ? seedLogs(env.emulator.envFixture(env.name) as LogsFixture) : undefined));
    if (seeded) return seeded;
  }
  return (
    env.slice<LogsState | undefined>('logs') ?? { rateLimit: DEFAULT_RATE_LIMIT, retentionDays: DEFAULT_RETENTION_DAYS, wsFederation: false, backgroundTraffic: null, maxEntries: null }
  );
}

/** The entry cap: the fixture's `logs.maxEntries`, else `--log-max-entries` / `LOG_MAX_ENTRIES`, else the default. */
export function maxEntries(env: Environment): number {
  return (env.store.deferred ? logsState(env).maxEntries : env.slice<LogsState | undefined>('logs')?.maxEntries) ?? env.emulator.options.logMaxEntries ?? DEFAULT_MAX_ENTRIES;
}

export function retentionStart(env: Environment): number {
  return env.clock.now() - logsState(env).retentionDays * DAY_MS;
}

/** Drop entries past retention (S4 L4803: 30 days), at most once a minute of emulator time. */
export function maybePrune(env: Environment, now = env.clock.now()): void {
  const book = env.logbook;
  const last = book.prunedAt;
  if (last !== undefined && now - last < 60_000 && now >= last) return;
  book.prunedAt = now;
  book.prune(retentionStart(env));
}
