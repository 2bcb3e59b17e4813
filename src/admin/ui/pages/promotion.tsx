// Promotion: per environment pair, the lock state machine, the current run, a timeline of promotions and rollbacks
// from the idm-activity entries the promotion area writes, the latest report as a diff, buttons and failure knobs.
import type { Emulator } from '../../../emulator.js';
import type { Environment } from '../../../environment.js';
import { controlPlane } from '../calls.js';
import { recentEntries } from '../audit.js';
import { BASE, Back, Badge, EnvPicker, THead, Time } from '../layout.js';
import { latestReport, listReports, lockStateView, statusView } from '../../../aic/promotion/service.js';
import { PHASES } from '../../../aic/promotion/model.js';
import type { ReportBody } from '../../../aic/config/service.js';

const LOCK_STATES = ['unlocked', 'locking', 'locked', 'unlocking'] as const;

interface AdminView {
  maintenance: boolean;
  blocked: { promotionId: string; message: string } | null;
  fault: { failAt: string; blocking: boolean; message?: string } | null;
  lockFault: { failAt: string } | null;
  rollbackAvailable: boolean;
  timings: Record<string, number>;
}

function Diff(props: { report: ReportBody }) {
  const groups = Object.entries(props.report) as [string, NonNullable<ReportBody['IDMConfig']>][];
  if (!groups.length) return <p class="muted">No configuration changes.</p>;
  return (
    <table>
      <caption>Configuration changes</caption>
      <THead cols={['area', 'config item', 'change', 'files']} />
      <tbody>
        {groups.flatMap(([area, entries]) =>
          entries.flatMap((e) =>
            (['added', 'modified', 'deleted'] as const)
              .filter((k) => e.configChange[k]?.length)
              .map((k) => (
                <tr class={k === 'added' ? 'diff-add' : k === 'deleted' ? 'diff-del' : 'diff-mod'}>
                  <td>{area}</td>
                  <td>{e.configItem}</td>
                  <td>
                    {k === 'added' ? '+ added' : k === 'deleted' ? '− deleted' : '~ modified'}
                  </td>
                  <td class="mono">{e.configChange[k]!.join(', ')}</td>
                </tr>
              )),
          ),
        )}
      </tbody>
    </table>
  );
}

function LockMachine(props: { label: string; env: string; state: string }) {
  return (
    <div class="card">
      <h3>
        {props.label}: {props.env}
      </h3>
      <p>
        <Badge state={props.state} />
      </p>
      <ol class="muted" aria-label={`lock states of ${props.env}`} style="display:flex;gap:.6rem;list-style:none;padding:0;flex-wrap:wrap">
        {LOCK_STATES.map((s) => (
          <li aria-current={s === props.state ? 'step' : undefined} style={s === props.state ? 'font-weight:700;color:var(--fg)' : ''}>
            {s}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Timeline(props: { upper: Environment }) {
  const entries = recentEntries(props.upper, 'idm-activity', (p) => typeof p.objectId === 'string' && p.objectId.startsWith('environment/promotion/'));
  if (!entries.length) return <p class="muted">No promotion activity yet.</p>;
  return (
    <ol class="timeline">
      {entries.map((e) => {
        const p = e.payload as { message?: string; status?: string; userId?: string; details?: Record<string, unknown> };
        const d = p.details ?? {};
        return (
          <li>
            <Time at={e.timestamp} />
            <strong>{p.message}</strong> {p.status === 'FAILURE' ? <Badge state="error" /> : ''}{' '}
            <span class="muted">
              {String(d.promotionId ?? '').slice(0, 8)} · {d.dryRun === true ? 'dry run · ' : ''}by {p.userId}
            </span>
            {Array.isArray(d.missingESVs) ? <div>missing ESVs: {(d.missingESVs as string[]).join(', ')}</div> : ''}
            {Array.isArray(d.encryptedSecrets) ? <div>encrypted secrets: {(d.encryptedSecrets as string[]).join(', ')}</div> : ''}
          </li>
        );
      })}
    </ol>
  );
}

export async function promotionPage(emulator: Emulator, q: Record<string, string | undefined>) {
  const uppers = emulator.aicEnvironments.filter((e) => e.lowerEnv);
  if (!uppers.length) return <p>No promotion pair: the AIC tenant has a single environment.</p>;
  const upper = uppers.find((e) => e.name === q.env) ?? uppers[0]!;
  const lower = upper.lowerEnv!;
  // the control plane settles clock-driven transitions before answering (GET /__emulator/promotion)
  const admin = (await controlPlane<Record<string, AdminView>>(emulator, 'GET', '/promotion')).body[upper.name]!;
  const lock = lockStateView(upper);
  const status = statusView(upper) as ReturnType<typeof statusView> & { missingESVs?: string[]; encryptedSecrets?: string[] };
  const reports = listReports(upper);
  const latest = reports.length ? latestReport(upper) : undefined;
  const back = `${BASE}/promotion?env=${upper.name}`;
  const hidden = (
    <>
      <Back to={back} />
      <input type="hidden" name="env" value={upper.name} />
    </>
  );
  return (
    <>
      <EnvPicker label="Pair" page="/promotion" envs={uppers} current={upper.name} format={(n) => `${emulator.env(n)?.lower ?? ''} → ${n}`} />
      <section aria-labelledby="h-lock">
        <h2 id="h-lock">
          Lock: {lower.name} → {upper.name}
        </h2>
        <div id="lock" data-live>
          <p>
            Result <span data-testid="lock-result"><Badge state={lock.result} /></span> <span class="muted">{lock.description}</span>
            {lock.promotionId ? <span class="mono"> · promotionId {lock.promotionId}</span> : ''}
          </p>
          <div class="row">
            <LockMachine label="lower" env={lower.name} state={lock.lowerEnv.state} />
            <LockMachine label="upper" env={upper.name} state={lock.upperEnv.state} />
          </div>
        </div>
        <div class="row" style="margin-top:.6rem">
          <form method="post" action={`${BASE}/do/promo-lock`}>
            {hidden}
            <button type="submit" id="btn-lock">Lock</button>
          </form>
          <form method="post" action={`${BASE}/do/promo-dryrun`}>
            {hidden}
            <button type="submit" id="btn-dryrun">Dry run</button>
          </form>
          <form method="post" action={`${BASE}/do/promo-promote`}>
            {hidden}
            <label style="flex-direction:row;gap:.3rem;align-items:center">
              <input type="checkbox" name="ignoreEncryptedSecrets" value="true" /> ignore encrypted secrets
            </label>
            <label style="flex-direction:row;gap:.3rem;align-items:center">
              <input type="checkbox" name="unlockAfter" value="true" /> unlock after
            </label>
            <button type="submit" id="btn-promote">Promote</button>
          </form>
          <form method="post" action={`${BASE}/do/promo-rollback`}>
            {hidden}
            <button type="submit" id="btn-rollback" class="secondary">
              Rollback
            </button>
          </form>
          <form method="post" action={`${BASE}/do/promo-unlock`}>
            {hidden}
            <input type="hidden" name="promotionId" value={lock.promotionId ?? ''} />
            <button type="submit" id="btn-unlock" class="secondary">
              Unlock
            </button>
          </form>
        </div>
        <p class="muted">Buttons call the product's promotion API on {upper.name} as its service account (scope fr:idc:promotion:*).</p>
      </section>

      <section aria-labelledby="h-run">
        <h2 id="h-run">Current run</h2>
        <div id="run" data-live>
          <dl class="kv">
            <dt>status</dt>
            <dd data-testid="run-status">
              <Badge state={status.status} /> {status.message}
            </dd>
            <dt>type</dt>
            <dd>{status.type}</dd>
            <dt>globalLock</dt>
            <dd>{status.globalLock}</dd>
            <dt>timeStamp</dt>
            <dd>
              <Time at={status.timeStamp} />
            </dd>
            {status.missingESVs ? (
              <>
                <dt>missing ESVs</dt>
                <dd class="mono">{status.missingESVs.join(', ')}</dd>
              </>
            ) : (
              ''
            )}
            {status.encryptedSecrets ? (
              <>
                <dt>encrypted secrets</dt>
                <dd class="mono">{status.encryptedSecrets.join(', ')}</dd>
              </>
            ) : (
              ''
            )}
            <dt>rollback point</dt>
            <dd>{admin.rollbackAvailable ? 'available' : 'none'}</dd>
          </dl>
        </div>
      </section>

      <section aria-labelledby="h-timeline">
        <h2 id="h-timeline">Timeline</h2>
        <div id="timeline" data-live>
          <Timeline upper={upper} />
        </div>
      </section>

      <section aria-labelledby="h-report">
        <h2 id="h-report">Latest report</h2>
        <div id="report" data-live>
          {latest ? (
            <>
              <p>
                <span class="mono">{latest.reportName}</span> · {latest.type} · <Time at={latest.createdDate} />
              </p>
              <Diff report={latest.report} />
              <details>
                <summary>Earlier reports ({reports.length})</summary>
                <ul>
                  {reports.map((r) => (
                    <li>
                      <Time at={r.createdDate} /> {r.type} {r.dryRun ? '(dry run)' : ''} <span class="mono">{r.reportId}</span>
                    </li>
                  ))}
                </ul>
              </details>
            </>
          ) : (
            <p class="muted">No report yet: a dry run or promotion writes one.</p>
          )}
        </div>
      </section>

      <section aria-labelledby="h-knobs">
        <h2 id="h-knobs">Failure knobs (control plane)</h2>
        <div id="knobs" data-live>
          <p>
            Next-run fault: {admin.fault ? `${admin.fault.failAt}${admin.fault.blocking ? ' (blocking)' : ''}` : 'none'} · maintenance lock:{' '}
            {admin.maintenance ? 'held' : 'free'} · blocked: {admin.blocked ? admin.blocked.message : 'no'}
          </p>
        </div>
        <div class="row">
          <form method="post" action={`${BASE}/do/promo-fault`}>
            {hidden}
            <fieldset>
              <legend>Make the next run fail</legend>
              <label>
                at phase
                <select name="failAt">
                  {[PHASES.prepare, PHASES.promote, PHASES.rollback, PHASES.restart, 'lock', 'locking'].map((p) => (
                    <option>{p}</option>
                  ))}
                </select>
              </label>
              <label style="flex-direction:row;gap:.3rem;align-items:center">
                <input type="checkbox" name="blocking" value="true" /> blocking
              </label>
              <button type="submit">Set fault</button>
            </fieldset>
          </form>
          <form method="post" action={`${BASE}/do/promo-maintenance`}>
            {hidden}
            <input type="hidden" name="locked" value={admin.maintenance ? 'false' : 'true'} />
            <button type="submit" class="secondary">
              {admin.maintenance ? 'Release maintenance lock' : 'Hold maintenance lock'}
            </button>
          </form>
          <form method="post" action={`${BASE}/do/promo-unblock`}>
            {hidden}
            <button type="submit" class="secondary">
              Clear blocking error
            </button>
          </form>
        </div>
      </section>
    </>
  );
}
