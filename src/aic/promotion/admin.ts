// Control plane for promotions (issue 5 "Fault injection"): make the next run fail at a phase, hold the operator's
// maintenance lock, clear a blocked environment (the real product needs a support case).
import type { EnvApp } from '../../core/types.js';
import { adminBody } from '../../core/http.js';
import { ApiError } from '../../core/errors.js';
import type { Emulator } from '../../emulator.js';
import type { Environment } from '../../environment.js';
import { faultBody, maintenanceBody, timingsBody, unblockBody } from './model.js';
import * as svc from './service.js';

function aicEnv(emulator: Emulator, name: string): Environment {
  const env = emulator.env(name);
  if (!env || env.product !== 'aic') throw new ApiError(404, { error: `no AIC environment ${name}` });
  return env;
}

export function promotionAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  admin.post('/promotion/faults', async (c) => {
    const body = await adminBody(c, faultBody());
    const env = aicEnv(emulator, body.env);
    if (!env.lowerEnv) throw new ApiError(400, { error: `${env.name} has no lower environment: faults apply to the upper environment of a promotion` });
    const fault = { failAt: body.failAt, blocking: body.blocking, ...(body.message ? { message: body.message } : {}) };
    svc.setFault(env, fault);
    await emulator.flush();
    return c.json({ env: env.name, fault });
  });
  admin.post('/promotion/maintenance', async (c) => {
    const body = await adminBody(c, maintenanceBody());
    const env = aicEnv(emulator, body.env);
    svc.setMaintenance(env, body.locked);
    await emulator.flush();
    return c.json({ env: env.name, maintenance: body.locked });
  });
  // how long each transition takes on the emulator clock (all AIC environments unless `env` is given)
  admin.post('/promotion/timings', async (c) => {
    const { env: name, ...timings } = await adminBody(c, timingsBody());
    const targets = name ? [aicEnv(emulator, name)] : emulator.aicEnvironments;
    for (const e of targets) svc.setTimings(e, timings);
    await emulator.flush();
    return c.json(Object.fromEntries(targets.map((e) => [e.name, svc.stateOf(e).timings])));
  });
  // everything the promotion area holds per environment, with the lock state derived now
  admin.get('/promotion', (c) => {
    for (const e of emulator.aicEnvironments) svc.settle(e);
    return c.json(
      Object.fromEntries(
        emulator.aicEnvironments.map((e) => {
          const st = svc.stateOf(e);
          return [e.name, { lockState: svc.envLockSummary(e), lock: st.lock, maintenance: st.maintenance, blocked: st.blocked, run: st.run, fault: st.fault, lockFault: st.lockFault, reports: st.reports.length, rollbackAvailable: !!st.rollback, timings: st.timings }];
        }),
      ),
    );
  });
  admin.post('/promotion/unblock', async (c) => {
    const body = await adminBody(c, unblockBody());
    const targets = body.env ? [aicEnv(emulator, body.env)] : emulator.aicEnvironments;
    const unblocked = targets.filter((e) => svc.unblock(e)).map((e) => e.name);
    await emulator.flush();
    return c.json({ unblocked });
  });
}
