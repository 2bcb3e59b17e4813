// Logs: a live tail of one AIC environment's monitoring logs, per source, with the CREST _queryFilter the
// /monitoring/logs API takes (the same parser and the same wire entry it filters).
import type { Emulator } from '../../../emulator.js';
import { BASE, THead, Time } from '../layout.js';
import { wireEntry } from '../../../aic/logs/service.js';
import { matchesFilter, parseQueryFilter, QueryFilterError, type QueryFilter } from '../../../core/queryFilter.js';
import type { LogEntry } from '../../../core/logbook.js';

/** The sources a tenant offers (S4 L4870 "/monitoring/logs/sources"), plus any the emulator has written to. */
const KNOWN_SOURCES = ['am-access', 'am-activity', 'am-authentication', 'am-config', 'am-core', 'idm-access', 'idm-activity', 'idm-config', 'idm-core', 'idm-sync'];
const LINES = 100;

export async function logsPage(emulator: Emulator, q: Record<string, string | undefined>) {
  const envs = emulator.aicEnvironments;
  const env = envs.find((e) => e.name === q.env) ?? envs[0];
  if (!env) return <p>No AIC environment.</p>;
  const sources = [...new Set([...KNOWN_SOURCES, ...env.logbook.sources()])].sort();
  const chosen = q.source && sources.includes(q.source) ? [q.source] : sources;
  let filter: QueryFilter | undefined;
  let problem: string | undefined;
  if (q._queryFilter) {
    try {
      filter = parseQueryFilter(q._queryFilter);
    } catch (err) {
      problem = err instanceof QueryFilterError ? err.message : 'invalid filter';
    }
  }
  // newest first: walk each source back from its end (bounded), keep the newest LINES that match
  const picked: LogEntry[] = [];
  for (const s of chosen) {
    const list = env.logbook.view(s);
    let kept = 0;
    for (let i = list.length - 1, scanned = 0; i >= 0 && kept < LINES && scanned < 20_000; i--, scanned++) {
      const e = list[i]!;
      if (filter && !matchesFilter(filter, wireEntry(e))) continue;
      picked.push(e);
      kept++;
    }
  }
  picked.sort((a, b) => b.t - a.t || b.seq - a.seq);
  const lines = picked.slice(0, LINES);
  return (
    <>
      <form method="get" action={`${BASE}/logs`}>
        <fieldset>
          <legend>Tail</legend>
          <label>
            Environment
            <select name="env">
              {envs.map((e) => (
                <option value={e.name} selected={e === env}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Source
            <select name="source">
              <option value="">all sources</option>
              {sources.map((s) => (
                <option value={s} selected={q.source === s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            _queryFilter
            <input name="_queryFilter" size={48} value={q._queryFilter ?? ''} placeholder={'/payload/http/request/method eq "POST"'} />
          </label>
          <button type="submit">Show</button>
        </fieldset>
      </form>
      {problem ? (
        <p role="alert" class="s-error">
          Filter not applied: {problem}
        </p>
      ) : (
        ''
      )}
      <div id="tail" data-live class="tail">
        <table>
          <caption>
            Newest {lines.length} entries of {env.name} · {q.source || 'all sources'}
            {filter ? ' · filtered' : ''}
          </caption>
          <THead cols={['time', 'source', 'payload']} />
          <tbody>
            {lines.map((e) => (
              <tr>
                <td>
                  <Time at={e.timestamp} />
                </td>
                <td>{e.source}</td>
                <td class="payload mono">{typeof e.payload === 'string' ? e.payload : JSON.stringify(e.payload)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
