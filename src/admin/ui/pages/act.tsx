// Act as: pick a user or service account (AIC) or an identity (ISC) and do what the product lets them do. Every
// button is a product API call with a token minted for that identity (calls.ts), so the product's own checks
// decide and its audit trail names them; the outcome line shows the token identity that acted.
import type { Emulator } from '../../../emulator.js';
import type { Environment } from '../../../environment.js';
import { BASE, Back, Badge, THead, Time } from '../layout.js';
import { RequestCard } from './governance.js';
import { governance } from '../../../aic/governance/service.js';
import { credentialsState } from '../../../aic/oauth/service.js';
import { allRequests, userApprovals, userRequests, requestView } from '../../../aic/iga/requests/service.js';
import { certState } from '../../../aic/iga/certifications/state.js';
import { identities, findIdentity } from '../../../isc/identities/service.js';
import { certState as iscCertState } from '../../../isc/certifications/service.js';
import type { ActingIdentity } from '../calls.js';

type Q = Record<string, string | undefined>;

function parseWho(env: Environment, raw: string | undefined): ActingIdentity | undefined {
  const m = /^(user|serviceAccount|identity):(.+)$/.exec(raw ?? '');
  return m ? { env: env.name, kind: m[1] as ActingIdentity['kind'], id: m[2]! } : undefined;
}

/** Hidden fields naming the acting identity on every action form. */
function As(props: { who: ActingIdentity; back: string }) {
  return (
    <>
      <Back to={props.back} />
      <input type="hidden" name="env" value={props.who.env} />
      <input type="hidden" name="kind" value={props.who.kind} />
      <input type="hidden" name="id" value={props.who.id} />
    </>
  );
}

/** A review item's two decision buttons, posted as `decision` with the item's hidden fields to /do/<action>. */
function DecideForm(props: { action: string; who: ActingIdentity; back: string; fields: Record<string, string>; approve: [value: string, label: string]; revoke: string }) {
  return (
    <form method="post" action={`${BASE}/do/${props.action}`}>
      <As who={props.who} back={props.back} />
      {Object.entries(props.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="decision" value={props.approve[0]}>
        {props.approve[1]}
      </button>
      <button type="submit" name="decision" value={props.revoke} class="danger">
        Revoke
      </button>
    </form>
  );
}

function Picker(props: { emulator: Emulator; env: Environment; who: ActingIdentity | undefined }) {
  const { env, who } = props;
  const sel = (kind: string, id: string) => who?.kind === kind && who.id === id;
  let options;
  if (env.product === 'isc') {
    options = (
      <optgroup label="Identities">
        {identities(env).map((i) => (
          <option value={`identity:${i.id}`} selected={sel('identity', i.id)}>
            {i.displayName ?? i.name} ({i.name}){i.authorities.length ? ` · ${i.authorities.join(', ')}` : ''}
            {i.service ? ' · service' : ''}
          </option>
        ))}
      </optgroup>
    );
  } else {
    const users = [...governance(env).users].sort((a, b) => a.userName.localeCompare(b.userName));
    options = (
      <>
        <optgroup label="Users (approvals waiting)">
          {users.map((u) => {
            const n = userApprovals(env, u._id).length;
            return (
              <option value={`user:${u._id}`} selected={sel('user', u._id)}>
                {u.userName}
                {n ? ` (${n} approval${n > 1 ? 's' : ''})` : ''}
              </option>
            );
          })}
        </optgroup>
        <optgroup label="Service accounts">
          {credentialsState(env).serviceAccounts.map((sa) => (
            <option value={`serviceAccount:${sa._id}`} selected={sel('serviceAccount', sa._id)}>
              {sa.name} (service account)
            </option>
          ))}
        </optgroup>
      </>
    );
  }
  return (
    <form method="get" action={`${BASE}/act`}>
      <fieldset>
        <legend>Who acts</legend>
        <label>
          Environment
          <select name="env" id="act-env">
            {props.emulator.environments.map((e) => (
              <option value={e.name} selected={e === env}>
                {e.name} ({e.product.toUpperCase()})
              </option>
            ))}
          </select>
        </label>
        <label>
          Identity
          <select name="who" id="act-who">
            <option value="">— choose —</option>
            {options}
          </select>
        </label>
        <button type="submit" id="act-pick">
          Act as
        </button>
      </fieldset>
    </form>
  );
}

function AicUser(props: { env: Environment; who: ActingIdentity; back: string }) {
  const { env, who, back } = props;
  const pending = userApprovals(env, who.id);
  const pendingIds = new Set(pending.map((r) => r.id));
  // requests the user takes part in, and those they already decided (the product keeps them in its history)
  const key = `managed/user/${who.id}`;
  const decided = allRequests(env).filter((r) => r.decision.comments.some((c) => c.user.id === who.id) || r.decision.phases.some((p) => p.completedBy?.id === who.id) || r.decision.actors.inactive.some((a) => a.id === key));
  const involved = [...new Set([...decided, ...userRequests(env, who.id)])].filter((r) => !pendingIds.has(r.id));
  const items = certState(env).items.filter(
    (it) => it.decision.certification.status === 'in-progress' && it.decision.certification.actors.some((a) => a.id === `managed/user/${who.id}`),
  );
  const byCampaign = new Map<string, typeof items>();
  for (const it of items) byCampaign.set(it.campaignId, [...(byCampaign.get(it.campaignId) ?? []), it]);
  const campaigns = certState(env).campaigns;
  const entitlements = governance(env).entitlements.filter((e) => e.requestable);
  const apps = new Map(governance(env).applications.map((a) => [a.id, a.name]));
  return (
    <>
      <section aria-labelledby="h-approvals">
        <h2 id="h-approvals">Approvals waiting ({pending.length})</h2>
        <div id="approvals" data-live class="row">
          {pending.length === 0 ? <p class="muted">Nothing to approve.</p> : ''}
          {pending.map((r) => (
            <div>
              <RequestCard r={requestView(r) as never} />
              <form method="post" action={`${BASE}/do/request-decide`} aria-label={`decide request ${r.id}`}>
                <As who={who} back={back} />
                <input type="hidden" name="requestId" value={r.id} />
                <label>
                  Comment
                  <input name="comment" size={24} />
                </label>
                <button type="submit" name="decision" value="approve" data-action="approve">
                  Approve
                </button>
                <button type="submit" name="decision" value="reject" class="danger" data-action="reject">
                  Reject
                </button>
              </form>
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="h-involved">
        <h2 id="h-involved">Requests this user decided or takes part in ({involved.length})</h2>
        <div id="involved" data-live class="row">
          {involved.map((r) => (
            <RequestCard r={requestView(r) as never} />
          ))}
        </div>
      </section>
      <section aria-labelledby="h-reviews">
        <h2 id="h-reviews">Certification items to review ({items.length})</h2>
        <div id="reviews" data-live>
          {[...byCampaign].map(([campaignId, list]) => (
            <>
              <h3>{campaigns.find((c) => c.id === campaignId)?.name ?? campaignId}</h3>
              <table>
                <THead cols={['user', 'access', 'decision', 'act']} />
                <tbody>
                  {list.map((it) => (
                    <tr>
                      <td>{it.user.userName}</td>
                      <td>
                        {it.application?.name ?? ''} {it.entitlement?.displayName ?? it.role?.name ?? it.item.type}
                      </td>
                      <td>{it.decision.certification.decision ? <Badge state={it.decision.certification.decision === 'certify' ? 'approve' : it.decision.certification.decision} /> : '—'}</td>
                      <td>
                        <DecideForm action="cert-item" who={who} back={back} fields={{ certId: campaignId, lineItemId: it.id }} approve={['certify', 'Certify']} revoke="revoke" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <form method="post" action={`${BASE}/do/cert-signoff`}>
                <As who={who} back={back} />
                <input type="hidden" name="certId" value={campaignId} />
                <input type="hidden" name="ids" value={list.map((i) => i.id).join(',')} />
                <button type="submit">Sign off these items</button>
              </form>
            </>
          ))}
        </div>
      </section>
      <section aria-labelledby="h-request">
        <h2 id="h-request">Request access</h2>
        <form method="post" action={`${BASE}/do/request-access`}>
          <As who={who} back={back} />
          <label>
            Entitlement
            <select name="entitlementId" required>
              {entitlements.map((e) => (
                <option value={e.id}>
                  {apps.get(e.applicationId) ?? ''} · {e.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Justification
            <input name="justification" size={32} />
          </label>
          <button type="submit">Request for myself</button>
        </form>
      </section>
    </>
  );
}

function AicServiceAccount(props: { env: Environment; who: ActingIdentity; back: string }) {
  const { env, who, back } = props;
  const sa = credentialsState(env).serviceAccounts.find((s) => s._id === who.id);
  return (
    <section aria-labelledby="h-sa">
      <h2 id="h-sa">Tenant operations</h2>
      <p>Scopes: {sa?.scopes.map((s) => <code>{s} </code>)}</p>
      <div class="row">
        {env.lowerEnv ? (
          <>
            <form method="post" action={`${BASE}/do/promo-lock`}>
              <As who={who} back={back} />
              <button type="submit">Lock {env.lowerEnv.name} → {env.name}</button>
            </form>
            <form method="post" action={`${BASE}/do/promo-dryrun`}>
              <As who={who} back={back} />
              <button type="submit">Dry run</button>
            </form>
          </>
        ) : (
          ''
        )}
        <form method="post" action={`${BASE}/do/esv-restart`}>
          <As who={who} back={back} />
          <button type="submit">Restart workloads</button>
        </form>
      </div>
    </section>
  );
}

function IscIdentity(props: { env: Environment; who: ActingIdentity; back: string }) {
  const { env, who, back } = props;
  const certs = iscCertState(env).certifications.filter((c) => c.reviewer.id === who.id || c.reviewer.members.includes(who.id));
  const name = (id: string) => findIdentity(env, id)?.name ?? id;
  return (
    <section aria-labelledby="h-isc-certs">
      <h2 id="h-isc-certs">Certifications to review ({certs.length})</h2>
      <div id="isc-reviews" data-live>
        {certs.map((c) => (
          <>
            <h3>
              {c.name} <Badge state={c.phase === 'SIGNED' ? 'complete' : 'in-progress'} />
            </h3>
            <table>
              <THead cols={['identity', 'access', 'decision', 'act']} />
              <tbody>
                {c.items.map((it) => (
                  <tr>
                    <td>{name(it.identityId)}</td>
                    <td>
                      {it.type} {it.entitlement?.name ?? it.accessProfile?.name ?? it.role?.name}
                    </td>
                    <td>
                      {it.decision ? <Badge state={it.decision === 'APPROVE' ? 'approve' : 'revoke'} /> : '—'} {it.decisionMaker ? `by ${it.decisionMaker.name}` : ''}{' '}
                      {it.decided ? <Time at={it.decided} /> : ''}
                    </td>
                    <td>
                      {c.phase === 'SIGNED' ? (
                        ''
                      ) : (
                        <DecideForm action="isc-decide" who={who} back={back} fields={{ certId: c.id, itemId: it.id }} approve={['APPROVE', 'Approve']} revoke="REVOKE" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {c.phase === 'SIGNED' ? (
              <p>
                Signed by {c.signer?.name} <Time at={c.signed} />
              </p>
            ) : (
              <form method="post" action={`${BASE}/do/isc-signoff`}>
                <As who={who} back={back} />
                <input type="hidden" name="certId" value={c.id} />
                <button type="submit">Sign off {c.name}</button>
              </form>
            )}
          </>
        ))}
      </div>
    </section>
  );
}

export async function actPage(emulator: Emulator, q: Q) {
  const env = emulator.env(q.env ?? '') ?? emulator.environments[0]!;
  const who = parseWho(env, q.who);
  const back = `${BASE}/act?env=${env.name}${who ? `&who=${encodeURIComponent(`${who.kind}:${who.id}`)}` : ''}`;
  let body;
  if (!who) body = <p class="muted">Choose an identity: the console then acts with a token minted for it.</p>;
  else if (who.kind === 'identity' && env.product === 'isc') body = <IscIdentity env={env} who={who} back={back} />;
  else if (who.kind === 'serviceAccount' && env.product === 'aic') body = <AicServiceAccount env={env} who={who} back={back} />;
  else if (who.kind === 'user' && env.product === 'aic') body = <AicUser env={env} who={who} back={back} />;
  else body = <p role="alert">That identity does not belong to {env.name}.</p>;
  return (
    <>
      <Picker emulator={emulator} env={env} who={who} />
      {who ? (
        <p>
          Each action mints an access token for this identity in {env.name} and calls the product API with it; the outcome line above names the token's subject
          and token id, and the product's audit entries attribute the action to it.
        </p>
      ) : (
        ''
      )}
      {body}
    </>
  );
}
