// Overview: the promotion chain with each environment's lock, restart and counts; the clock; fault rules.
import type { Emulator } from '../../../emulator.js';
import type { Environment } from '../../../environment.js';
import type { FaultRule } from '../../faults.js';
import type { ClockState } from '../../../core/clock.js';
import { controlPlane } from '../calls.js';
import { BASE, Back, Badge, THead } from '../layout.js';
import { governance } from '../../../aic/governance/service.js';
import { esvCount, esvState, restartStatus } from '../../../aic/esv/service.js';
import { certState } from '../../../aic/iga/certifications/state.js';
import { allRequests } from '../../../aic/iga/requests/service.js';
import { identities } from '../../../isc/identities/service.js';
import { certState as iscCertState } from '../../../isc/certifications/service.js';

export interface PromotionSummary {
  lockState: { promotionId?: string; state: string };
  maintenance: boolean;
  blocked: { promotionId: string; message: string } | null;
  run: { type: string; status: string; message: string; dryRun: boolean; promotionId: string } | null;
}

function aicCounts(env: Environment) {
  const esv = esvCount(env);
  const campaigns = certState(env).campaigns;
  return [
    ['users', governance(env).users.length],
    ['variables', esv.variables],
    ['secrets', esv.secrets],
    ['campaigns', campaigns.length],
    ['open requests', allRequests(env).filter((r) => (r.decision as { status?: string } | undefined)?.status === 'in-progress').length],
  ] as const;
}

function iscCounts(env: Environment) {
  const certs = iscCertState(env).certifications;
  return [
    ['identities', identities(env).length],
    ['certifications', certs.length],
    ['open certifications', certs.filter((c) => c.phase !== 'SIGNED').length],
  ] as const;
}

function EnvCard(props: { env: Environment; promo?: PromotionSummary | undefined }) {
  const { env, promo } = props;
  const counts = env.product === 'aic' ? aicCounts(env) : iscCounts(env);
  const restart = env.product === 'aic' && esvState(env) ? restartStatus(env) : undefined;
  return (
    <section class="card" aria-labelledby={`env-${env.name}`}>
      <h3 id={`env-${env.name}`}>
        {env.name} <span class="muted">({env.product.toUpperCase()})</span>
      </h3>
      <dl class="kv">
        <dt>URL</dt>
        <dd>
          <a href={`${env.url}/monitoring/health`}>{env.url}</a>
        </dd>
        {promo && (
          <>
            <dt>Lock</dt>
            <dd data-testid={`lock-${env.name}`}>
              <Badge state={promo.lockState.state} /> {promo.maintenance ? <span class="muted">maintenance</span> : ''}
            </dd>
            {promo.run && (
              <>
                <dt>Last run</dt>
                <dd>
                  {promo.run.dryRun ? 'dry run' : promo.run.type} <Badge state={promo.run.status} /> {promo.run.message}
                </dd>
              </>
            )}
            {promo.blocked && (
              <>
                <dt>Blocked</dt>
                <dd>
                  <Badge state="blocked" /> {promo.blocked.message}
                </dd>
              </>
            )}
          </>
        )}
        {restart && (
          <>
            <dt>Restart</dt>
            <dd>
              <Badge state={restart} />
            </dd>
          </>
        )}
        {counts.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <form method="post" action={`${BASE}/do/reset`}>
        <Back to={BASE} />
        <input type="hidden" name="env" value={env.name} />
        <button class="secondary" type="submit">
          Reset {env.name}
        </button>
      </form>
    </section>
  );
}

export async function overviewPage(emulator: Emulator) {
  const [promo, clock, faults] = await Promise.all([
    controlPlane<Record<string, PromotionSummary>>(emulator, 'GET', '/promotion'),
    controlPlane<ClockState>(emulator, 'GET', '/clock'),
    controlPlane<{ faults: FaultRule[] }>(emulator, 'GET', '/faults'),
  ]);
  const aic = emulator.aicEnvironments;
  const others = emulator.environments.filter((e) => e.product !== 'aic');
  return (
    <>
      <section aria-labelledby="h-envs">
        <h2 id="h-envs">Environments</h2>
        <p class="muted">AIC promotion chain, lowest first: configuration moves from each environment to the next.</p>
        <div class="chain" id="chain" data-live>
          {aic.map((env, i) => (
            <>
              {i > 0 && (
                <span class="arrow" aria-label="promotes to">
                  →
                </span>
              )}
              <EnvCard env={env} promo={promo.body[env.name]} />
            </>
          ))}
        </div>
        <div class="row" id="other-envs" data-live>
          {others.map((env) => (
            <EnvCard env={env} />
          ))}
        </div>
      </section>

      <section aria-labelledby="h-clock">
        <h2 id="h-clock">Clock</h2>
        <p id="clock-state" data-live>
          Emulator time <strong class="mono">{clock.body.now}</strong> · {clock.body.frozen ? 'frozen' : 'running'} · scale ×{clock.body.scale} · offset{' '}
          {clock.body.offsetMs} ms
        </p>
        <form method="post" action={`${BASE}/do/clock`}>
          <Back to={BASE} />
          <fieldset>
            <legend>Advance</legend>
            {[
              ['1000', '+1 s'],
              ['5000', '+5 s'],
              ['60000', '+1 min'],
              ['3600000', '+1 h'],
              ['86400000', '+1 day'],
            ].map(([ms, label]) => (
              <button type="submit" name="advanceMs" value={ms}>
                {label}
              </button>
            ))}
          </fieldset>
        </form>
        <div class="row">
          <form method="post" action={`${BASE}/do/clock`}>
            <Back to={BASE} />
            <input type="hidden" name="frozen" value={clock.body.frozen ? 'false' : 'true'} />
            <button type="submit" id="freeze">
              {clock.body.frozen ? 'Unfreeze' : 'Freeze'}
            </button>
          </form>
          <form method="post" action={`${BASE}/do/clock`}>
            <Back to={BASE} />
            <label>
              Time scale
              <input name="scale" type="number" min="0.001" step="any" value={String(clock.body.scale)} required />
            </label>
            <button type="submit">Set scale</button>
          </form>
        </div>
      </section>

      <section aria-labelledby="h-faults">
        <h2 id="h-faults">Fault rules</h2>
        <div id="faults" data-live>
          {faults.body.faults.length === 0 ? (
            <p class="muted">No fault rules: every request is answered normally.</p>
          ) : (
            <table>
              <THead cols={['id', 'env', 'method', 'path', 'status', 'delay', 'times', 'hits', '']} />
              <tbody>
                {faults.body.faults.map((f) => (
                  <tr>
                    <td class="mono">{f.id}</td>
                    <td>{f.env ?? 'all'}</td>
                    <td>{f.method ?? 'any'}</td>
                    <td class="mono">{f.path}</td>
                    <td>{f.status ?? '—'}</td>
                    <td>{f.delayMs ? `${f.delayMs} ms` : '—'}</td>
                    <td>{f.times ?? '∞'}</td>
                    <td>{f.hits}</td>
                    <td>
                      <form method="post" action={`${BASE}/do/fault-remove`}>
                        <Back to={BASE} />
                        <input type="hidden" name="id" value={f.id} />
                        <button type="submit" class="danger" aria-label={`Remove fault ${f.id}`}>
                          Remove
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <form method="post" action={`${BASE}/do/fault-add`}>
          <Back to={BASE} />
          <fieldset>
            <legend>Add a fault rule</legend>
            <label>
              Environment
              <select name="env">
                <option value="">all</option>
                {emulator.environments.map((e) => (
                  <option value={e.name}>{e.name}</option>
                ))}
              </select>
            </label>
            <label>
              Method
              <select name="method">
                <option value="">any</option>
                {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
                  <option>{m}</option>
                ))}
              </select>
            </label>
            <label>
              Path (exact, prefix*, or ^regex)
              <input name="path" required placeholder="/environment/promotion/*" size={28} />
            </label>
            <label>
              Status
              <input name="status" type="number" min="200" max="599" placeholder="503" />
            </label>
            <label>
              Delay (ms)
              <input name="delayMs" type="number" min="0" max="30000" />
            </label>
            <label>
              Times
              <input name="times" type="number" min="1" placeholder="∞" />
            </label>
            <button type="submit">Add rule</button>
          </fieldset>
        </form>
      </section>
    </>
  );
}
