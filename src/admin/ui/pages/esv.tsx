// ESVs: each AIC environment's variables and secrets as the ESV API lists them (secret values never shown),
// versions with their loaded state, and the workload restart that loads pending changes.
import type { Emulator } from '../../../emulator.js';
import { BASE, Back, Badge, EnvPicker, THead, Time } from '../layout.js';
import { esvState, restartStatus, secretView, variableView, versionView } from '../../../aic/esv/service.js';

export async function esvPage(emulator: Emulator, q: Record<string, string | undefined>) {
  const envs = emulator.aicEnvironments;
  const env = envs.find((e) => e.name === q.env) ?? envs[0];
  if (!env) return <p>No AIC environment.</p>;
  const restart = restartStatus(env);
  const st = esvState(env);
  const back = `${BASE}/esv?env=${env.name}`;
  return (
    <>
      <EnvPicker label="Environment" page="/esv" envs={envs} current={env.name} />
      <section aria-labelledby="h-restart">
        <h2 id="h-restart">Restart</h2>
        <div id="restart" data-live>
          <p>
            Workloads <Badge state={restart} />
            {st.restart.startedAt ? (
              <>
                {' '}
                · last started <Time at={st.restart.startedAt} /> · completes <Time at={st.restart.completesAt} />
              </>
            ) : (
              ''
            )}
          </p>
        </div>
        <form method="post" action={`${BASE}/do/esv-restart`}>
          <Back to={back} />
          <input type="hidden" name="env" value={env.name} />
          <button type="submit">Restart {env.name} (load pending ESVs)</button>
        </form>
      </section>
      <div id="esvs" data-live>
        <section aria-labelledby="h-vars">
          <h2 id="h-vars">Variables ({st.variables.length})</h2>
          <table>
            <THead cols={['name', 'type', 'value', 'loaded', 'last change', 'by']} />
            <tbody>
              {st.variables.map((raw) => {
                const v = variableView(raw);
                return (
                  <tr>
                    <td class="mono">{v._id}</td>
                    <td>{v.expressionType}</td>
                    <td class="mono">{Buffer.from(v.valueBase64 ?? '', 'base64').toString('utf8').slice(0, 80)}</td>
                    <td>
                      <Badge state={v.loaded ? 'loaded' : 'pending'} />
                    </td>
                    <td>{v.lastChangeDate}</td>
                    <td class="mono">{v.lastChangedBy}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="h-secrets">
          <h2 id="h-secrets">Secrets ({st.secrets.length})</h2>
          <p class="muted">Values are never shown: the product API never returns them either.</p>
          <table>
            <THead cols={['name', 'encoding', 'active version', 'loaded', 'versions (status, loaded)', 'last change']} />
            <tbody>
              {st.secrets.map((raw) => {
                const s = secretView(raw);
                return (
                  <tr>
                    <td class="mono">{s._id}</td>
                    <td>{s.encoding}</td>
                    <td>{s.activeVersion}</td>
                    <td>
                      <Badge state={s.loaded ? 'loaded' : 'pending'} /> {s.loadedVersion ? `v${s.loadedVersion}` : ''}
                    </td>
                    <td>
                      {raw.versions
                        .map((x) => versionView(raw, x))
                        .map((x) => `v${x.version} ${x.status}${x.loaded ? ' (loaded)' : ''}`)
                        .join(' · ')}
                    </td>
                    <td>{s.lastChangeDate}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
