// Governance (AIC IGA): certification campaigns with progress, one campaign's items per reviewer with decisions and
// who made them, and access requests with their phases, actors and timeline, as the IGA API returns them.
import type { Emulator } from '../../../emulator.js';
import type { Environment } from '../../../environment.js';
import { BASE, Badge, EnvPicker, THead, Time } from '../layout.js';
import { campaignTotals, itemsOf } from '../../../aic/iga/certifications/campaigns.js';
import { certState } from '../../../aic/iga/certifications/state.js';
import { allRequests, requestView } from '../../../aic/iga/requests/service.js';
import type { LineItem } from '../../../aic/iga/certifications/model.js';

interface Person {
  id?: string;
  userName?: string;
  name?: string;
}
interface PhaseView {
  name: string;
  displayName?: string;
  status: string;
  decision: string | null;
  startDate: string | null;
  completionDate?: string;
  completedBy?: Person;
}
interface RequestDecision {
  status: string;
  decision: string | null;
  outcome: string | null;
  startDate: string | null;
  completionDate: string | null;
  comments: Array<{ user: Person; comment: string; action: string; timeStamp: string; phase?: string }>;
  actors: { active: Array<Person & { phase: string }>; inactive: Array<Person & { phase: string }> };
  phases: PhaseView[];
}
interface RequestJson {
  id: string;
  requestType: string;
  requester?: Person;
  user?: Person;
  application?: { name: string };
  entitlement?: { displayName?: string; name?: string };
  role?: { name: string };
  decision: RequestDecision;
}

const who = (p: Person | undefined | null) => (p ? (p.userName ?? p.name ?? p.id ?? '?') : '—');

/** Timeline of one request: submission, each phase's start and completion, and every comment or action. */
export function requestTimeline(r: RequestJson): Array<{ at: string; text: string }> {
  const d = r.decision;
  const out: Array<{ at: string; text: string }> = [];
  if (d.startDate) out.push({ at: d.startDate, text: `submitted by ${who(r.requester)}` });
  for (const p of d.phases) {
    if (p.startDate) out.push({ at: p.startDate, text: `${p.displayName ?? p.name} started` });
    if (p.completionDate) out.push({ at: p.completionDate, text: `${p.displayName ?? p.name} ${p.decision ?? 'completed'} by ${who(p.completedBy)}` });
  }
  for (const c of d.comments) if (c.action !== 'request') out.push({ at: c.timeStamp, text: `${c.action} by ${who(c.user)}${c.comment ? `: “${c.comment}”` : ''}` });
  if (d.completionDate) out.push({ at: d.completionDate, text: `request ${d.status}${d.outcome ? ` (${d.outcome})` : ''}` });
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export function RequestCard(props: { r: RequestJson }) {
  const { r } = props;
  const d = r.decision;
  const target = r.entitlement?.displayName ?? r.entitlement?.name ?? r.role?.name ?? r.application?.name ?? '';
  return (
    <article class="card" aria-labelledby={`req-${r.id}`} data-request={r.id}>
      <h3 id={`req-${r.id}`}>
        {r.requestType}: {target} for {who(r.user)} <Badge state={d.status} />
      </h3>
      <p class="muted mono">{r.id}</p>
      <p>
        Phases:{' '}
        {d.phases.map((p) => (
          <>
            {p.displayName ?? p.name} <Badge state={p.decision ?? p.status} />{' '}
          </>
        ))}
      </p>
      <p>
        Waiting on: {d.actors.active.length ? d.actors.active.map((a) => `${who(a)} (${a.phase})`).join(', ') : <span class="muted">nobody</span>}
      </p>
      <ol class="timeline" aria-label={`timeline of request ${r.id}`}>
        {requestTimeline(r).map((t) => (
          <li>
            <Time at={t.at} />
            {t.text}
          </li>
        ))}
      </ol>
    </article>
  );
}

function CampaignItems(props: { env: Environment; campaignId: string }) {
  const items = itemsOf(props.env, props.campaignId);
  const byReviewer = new Map<string, LineItem[]>();
  for (const it of items) {
    const reviewer = it.decision.certification.primaryReviewer;
    const key = reviewer?.userName ?? reviewer?.id ?? 'unassigned';
    byReviewer.set(key, [...(byReviewer.get(key) ?? []), it]);
  }
  return (
    <>
      {[...byReviewer].map(([reviewer, list]) => (
        <table>
          <caption>Reviewer {reviewer}</caption>
          <THead cols={['user', 'access', 'status', 'decision', 'by', 'when']} />
          <tbody>
            {list.map((it) => {
              const d = it.decision.certification;
              return (
                <tr>
                  <td>{it.user.userName}</td>
                  <td>
                    {it.application?.name ?? ''} {it.entitlement?.displayName ?? it.role?.name ?? it.item.type}
                  </td>
                  <td>
                    <Badge state={d.status} />
                  </td>
                  <td>{d.decision ? <Badge state={d.decision === 'certify' ? 'approve' : d.decision} /> : <span class="muted">—</span>}</td>
                  <td>{who(d.decisionBy)}</td>
                  <td>
                    <Time at={d.decisionDate} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </>
  );
}

export async function governancePage(emulator: Emulator, q: Record<string, string | undefined>) {
  const envs = emulator.aicEnvironments;
  const env = envs.find((e) => e.name === q.env) ?? envs[0];
  if (!env) return <p>No AIC environment.</p>;
  const campaigns = certState(env).campaigns;
  const chosen = campaigns.find((c) => c.id === q.campaign) ?? campaigns.find((c) => c.status === 'in-progress') ?? campaigns[0];
  const requests = allRequests(env)
    .map((r) => requestView(r) as unknown as RequestJson)
    .sort((a, b) => (b.decision.startDate ?? '').localeCompare(a.decision.startDate ?? ''));
  return (
    <>
      <EnvPicker label="Environment" page="/governance" envs={envs} current={env.name} />
      <section aria-labelledby="h-campaigns">
        <h2 id="h-campaigns">Certification campaigns</h2>
        <div id="campaigns" data-live>
          <table>
            <THead cols={['name', 'status', 'progress', 'deadline']} />
            <tbody>
              {campaigns.map((c) => {
                const t = campaignTotals(env, c);
                return (
                  <tr>
                    <td>
                      <a href={`${BASE}/governance?env=${env.name}&campaign=${c.id}`}>{c.name}</a>
                    </td>
                    <td>
                      <Badge state={c.status} />
                    </td>
                    <td>
                      <progress max={t.totalItems || 1} value={t.totalItemsComplete} aria-label={`${c.name} progress`}></progress> {t.totalItemsComplete}/{t.totalItems} items (
                      {t.percentItemsComplete}%)
                    </td>
                    <td>
                      <Time at={c.deadline} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {chosen ? (
            <>
              <h3>Items of {chosen.name}</h3>
              <CampaignItems env={env} campaignId={chosen.id} />
            </>
          ) : (
            <p class="muted">No campaigns.</p>
          )}
        </div>
      </section>
      <section aria-labelledby="h-requests">
        <h2 id="h-requests">Access requests ({requests.length})</h2>
        <div id="requests" data-live class="row">
          {requests.map((r) => (
            <RequestCard r={r} />
          ))}
        </div>
      </section>
    </>
  );
}
