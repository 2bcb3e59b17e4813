// The logs settings of an environment and the bounds of what it keeps: retention (S4 L4803: 30 days of emulator time)
// and the entry cap (docs/logs.md "What the emulator keeps").
import type { Environment } from '../../environment.js';
import { DEFAULT_MAX_ENTRIES } from '../../core/logbook.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_RETENTION_DAYS, type LogsState } from './model.js';

const DAY_MS = 24 * 3600_000;

/** The logs settings of an environment (defaults when the slice is missing, e.g. on ISC). */
export function logsState(env: Environment): LogsState {
  return (
    env.slice<LogsState | undefined>('logs') ?? { rateLimit: DEFAULT_RATE_LIMIT, retentionDays: DEFAULT_RETENTION_DAYS, wsFederation: false, backgroundTraffic: null, maxEntries: null }
  );
}

/** The entry cap: the fixture's `logs.maxEntries`, else `--log-max-entries` / `LOG_MAX_ENTRIES`, else the default. */
export function maxEntries(env: Environment): number {
  return env.slice<LogsState | undefined>('logs')?.maxEntries ?? env.emulator.options.logMaxEntries ?? DEFAULT_MAX_ENTRIES;
}

export function retentionStart(env: Environment): number {
  return env.clock.now() - logsState(env).retentionDays * DAY_MS;
}

/** Drop entries past retention (S4 L4803: 30 days), at most once a minute of emulator time. */
export function maybePrune(env: Environment): void {
  const now = env.clock.now();
  const book = env.logbook;
  const last = book.prunedAt;
  if (last !== undefined && now - last < 60_000 && now >= last) return;
  book.prunedAt = now;
  book.prune(retentionStart(env));
}
