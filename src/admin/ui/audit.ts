// Reading back what the product wrote to its monitoring logs, for timelines: the newest matching entries of one
// source, scanning from the end and stopping at `limit` (the console never walks a whole log on a refresh).
import type { Environment } from '../../environment.js';
import type { LogEntry } from '../../core/logbook.js';

export function recentEntries(env: Environment, source: string, match: (payload: Record<string, unknown>) => boolean, limit = 60, scanLimit = 20_000): LogEntry[] {
  const span = env.logbook.span(source);
  const out: LogEntry[] = [];
  for (let i = span.end - 1, scanned = 0; i >= span.start && out.length < limit && scanned < scanLimit; i--, scanned++) {
    const e = span.entry(i);
    const p = e.payload;
    if (p && typeof p === 'object' && match(p as Record<string, unknown>)) out.push(e);
  }
  return out.reverse();
}
