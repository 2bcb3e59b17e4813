// ISC: identities with their access (the ISC access model), certification campaigns with progress, access requests and
// approvals (when the tenant has any), and the `events` audit trail with actors: whatever the ISC areas hold.
import type { Emulator } from '../../../emulator.js';
import type { Environment } from '../../../environment.js';
import { BASE, Badge, THead, Time } from '../layout.js';
import { identities } from '../../../isc/identities/service.js';
import { certCounts, certState } from '../../../isc/certifications/service.js';
import { REQUESTS_AREA } from '../../../isc/requests/state.js';
import { ACCESS_AREA, identityAccess } from '../../../isc/access/service.js';
import type { AccessRequestsState } from '../../../isc/requests/model.js';

const EVENTS_SHOWN = 40;

function Requests(props: { env: Environment; name: (id: string) => string }) {
  const st = props.env.state[REQUESTS_AREA] as AccessRequestsState | undefined;
  if (!st || st.items.length === 0) return <p class="muted">No access requests yet.</p>;
  const approvals = new Map<string, AccessRequestsState['approvals']>();
  for (const a of st.approvals) approvals.set(a.requestedItemId, [...(approvals.get(a.requestedItemId) ?? []), a]);
  const items = [...st.items].sort((a, b) => b.created.localeCompare(a.created)).slice(0, 50);
  return (
    <table>
      <THead cols={['requested', 'for', 'item', 'phase / state', 'approvals']} />
      <tbody>
        {items.map((it) => (
          <tr>
            <td>
              <Time at={it.created} /> by {props.name(it.requesterId)}
            </td>
            <td>{props.name(it.requestedForId)}</td>
            <td>
              {it.requestType === 'REVOKE_ACCESS' ? 'revoke ' : ''}
              {it.item.type} {it.item.name}
            </td>
            <td>
              {it.phase} <Badge state={it.state} />
            </td>
            <td>
              {(approvals.get(it.id) ?? []).map((a) => (
                <div>
                  {a.scheme} → {a.ownerName} <Badge state={a.state} /> {a.reviewedBy ? `by ${a.reviewedBy.name ?? a.reviewedBy.id}` : ''}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An identity's access as the access model derives it (roles, access profiles, entitlements with their sources). */
function Access(props: { env: Environment; identityId: string }) {
  if (!props.env.state[ACCESS_AREA]) return <td colspan={4} class="muted">no access model</td>;
  const a = identityAccess(props.env, props.identityId);
  return (
    <>
      <td>{a.accounts.map((x) => x.source.name).join(', ')}</td>
      <td>{a.roles.map((x) => x.role.name).join(', ')}</td>
      <td>{a.accessProfiles.map((x) => x.accessProfile.name).join(', ')}</td>
      <td>{a.entitlements.map((x) => `${x.entitlement.name} (${x.source.name})`).join(', ')}</td>
    </>
  );
}

export async function iscPage(emulator: Emulator, _q: Record<string, string | undefined>) {
  const env = emulator.environments.find((e) => e.product === 'isc');
  if (!env) return <p>No ISC tenant.</p>;
  const people = identities(env);
  const names = new Map(people.map((i) => [i.id, i.displayName ?? i.name]));
  const name = (id: string) => names.get(id) ?? id;
  const st = certState(env);
  const events = st.events.slice(-EVENTS_SHOWN).reverse();
  return (
    <>
      <section aria-labelledby="h-campaigns">
        <h2 id="h-campaigns">Campaigns and certifications</h2>
        <div id="isc-certs" data-live>
          {st.campaigns.map((camp) => (
            <>
              <h3>
                {camp.name} <span class="muted">({camp.campaignType})</span>
              </h3>
              <table>
                <THead cols={['certification', 'reviewer', 'phase', 'decisions', 'signed']} />
                <tbody>
                  {st.certifications
                    .filter((c) => c.campaignId === camp.id)
                    .map((c) => {
                      const n = certCounts(c);
                      return (
                        <tr>
                          <td>{c.name}</td>
                          <td>
                            <a href={`${BASE}/act?env=${env.name}&who=${encodeURIComponent(`identity:${c.reviewer.id}`)}`}>{c.reviewer.type === 'IDENTITY' ? name(c.reviewer.id) : (c.reviewer.name ?? c.reviewer.id)}</a>
                          </td>
                          <td>
                            <Badge state={c.phase === 'SIGNED' ? 'complete' : c.phase === 'STAGED' ? 'staging' : 'in-progress'} />
                          </td>
                          <td>
                            <progress max={n.decisionsTotal || 1} value={n.decisionsMade} aria-label={`${c.name} decisions`}></progress> {n.decisionsMade}/{n.decisionsTotal}
                          </td>
                          <td>{c.signed ? <>by {c.signer?.name} <Time at={c.signed} /></> : '—'}</td>
                        </tr>
                      );
                    })}
                </tbody>
              </table>
            </>
          ))}
        </div>
      </section>
      <section aria-labelledby="h-requests">
        <h2 id="h-requests">Access requests and approvals</h2>
        <div id="isc-requests" data-live>
          <Requests env={env} name={name} />
        </div>
      </section>
      <section aria-labelledby="h-events">
        <h2 id="h-events">Audit events (newest {events.length})</h2>
        <div id="isc-events" data-live>
          <table>
            <THead cols={['when', 'event', 'actor', 'target', 'status']} />
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>
                    <Time at={e.created} />
                  </td>
                  <td>{e.name}</td>
                  <td>{e.actor.name}</td>
                  <td>{e.target.name}</td>
                  <td>{e.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="h-identities">
        <h2 id="h-identities">Identities ({people.length})</h2>
        <div id="isc-identities" data-live>
          <table>
            <THead cols={['name', 'status', 'authorities', 'manager', 'accounts', 'roles', 'access profiles', 'entitlements']} />
            <tbody>
              {people.map((i) => (
                <tr>
                  <td>
                    <a href={`${BASE}/act?env=${env.name}&who=${encodeURIComponent(`identity:${i.id}`)}`}>{i.displayName ?? i.name}</a> <span class="muted">{i.name}</span>
                  </td>
                  <td>
                    <Badge state={i.active ? 'active' : 'inactive'} /> {i.service ? 'service' : ''}
                  </td>
                  <td>{i.authorities.join(', ')}</td>
                  <td>{i.managerId ? name(i.managerId) : '—'}</td>
                  <Access env={env} identityId={i.id} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
