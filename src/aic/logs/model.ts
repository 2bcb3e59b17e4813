// Monitoring logs: fixture keys, state, and the source catalogue (S4 L4814–6000).
import { z } from 'zod';
import { lazy } from '../../core/lazy.js';

/** S4 L4814–4845: the AM and IDM sources in the documented order (S4 L13960–13990 shows these 14 alone). */
export const AM_SOURCES = ['am-access', 'am-activity', 'am-authentication', 'am-config', 'am-core'] as const;
export const IDM_SOURCES = ['idm-access', 'idm-activity', 'idm-authentication', 'idm-config', 'idm-core', 'idm-recon', 'idm-sync'] as const;
/** S4 L4835–4840: WS-Federation sources, listed only where WS-Federation is enabled. */
export const WS_SOURCES = ['ws-activity', 'ws-config', 'ws-core'] as const;

/** `*-everything` aggregates its family (S4 "am-everything … includes all the logs captured in am-access, …"). */
export const FAMILIES: Record<string, readonly string[]> = {
  'am-everything': AM_SOURCES,
  'idm-everything': IDM_SOURCES,
  'ws-everything': WS_SOURCES,
};

export function sourceList(wsFederation: boolean): string[] {
  const list: string[] = [...AM_SOURCES, 'am-everything', ...IDM_SOURCES.slice(0, 5), 'idm-everything', 'idm-recon', 'idm-sync'];
  if (wsFederation) list.push(...WS_SOURCES, 'ws-everything');
  return list;
}

export const backgroundTrafficSchema = lazy(() =>
  z.object({
    /** Generated entries per minute of emulator time (authentication journeys, node outcomes, access, debug lines). */
    ratePerMinute: z.number().min(0).max(60_000),
  }),
);

export const logsSettingsSchema = lazy(() =>
  z.object({
    /** Requests per minute on /monitoring/logs and /monitoring/logs/tail together (S4 L6473–6510: 60). */
    rateLimit: z.number().int().min(1).max(1_000_000).optional(),
    /** Days of emulator time entries are kept (S4 L4803: 30). */
    retentionDays: z.number().min(1).max(365).optional(),
    /** List the ws-* sources too (S4 L4835: tenants with WS-Federation). */
    wsFederation: z.boolean().optional(),
    /** Deterministic faker-generated traffic so dashboards and tail tools have something to show. */
    backgroundTraffic: backgroundTrafficSchema().nullable().optional(),
    /** At most this many entries kept per environment, the oldest dropped first (docs/logs.md; default 1,000,000). */
    maxEntries: z.number().int().min(1).max(100_000_000).optional(),
  }),
);

export const logsFixture = lazy(() =>
  z.object({
    logs: logsSettingsSchema().optional(),
  }),
);
export type LogsFixture = z.infer<ReturnType<typeof logsFixture>>;

export interface LogsState {
  rateLimit: number;
  retentionDays: number;
  wsFederation: boolean;
  backgroundTraffic: { ratePerMinute: number } | null;
  /** The fixture's entry cap; null: `--log-max-entries` or the default. */
  maxEntries: number | null;
}

export const DEFAULT_RATE_LIMIT = 60;
export const DEFAULT_RETENTION_DAYS = 30;
/** S4 L6473–6485: page-size limit. */
export const MAX_PAGE_SIZE = 1000;
/** S4 L6505–6510: tail returns at most 15,000 lines a request. */
export const MAX_TAIL_LINES = 15_000;
/** S4 "The first call to the tail endpoint returns log entries from the last 15 seconds." */
export const TAIL_FIRST_WINDOW_MS = 15_000;
/** S4 "If beginTime is specified, it must be 24 hours or less before endTime." */
export const MAX_WINDOW_MS = 24 * 3600_000;
