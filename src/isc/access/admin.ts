// Control-plane views of the access model (issue 13 §9): the inspector reads the model and an identity's current
// access, and trainers grant or revoke access directly — through the same provisioning service the product uses.
import { z } from 'zod';
import type { EnvApp } from '../../core/types.js';
import type { Emulator } from '../../emulator.js';
import { ApiError } from '../../core/errors.js';
import { accessIndex, accessState, grantAccess, identityAccess, revokeAccess } from './service.js';
import { findIdentity } from '../identities/service.js';
import { lazy } from '../../core/lazy.js';

const change = lazy(() => z.object({ type: z.enum(['ROLE', 'ACCESS_PROFILE', 'ENTITLEMENT']), id: z.string().min(1) }));

export function accessAdminRoutes(admin: EnvApp, emulator: Emulator): void {
  admin.get('/isc/access', (c) => {
    const st = accessState(emulator.isc);
    const counts = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, (v as unknown[]).length]));
    return c.json({ counts, ...st });
  });
  admin.get('/isc/identities/:id/access', (c) => {
    const id = c.req.param('id');
    if (!findIdentity(emulator.isc, id)) return c.json({ error: `no identity ${id}` }, 404);
    return c.json(identityAccess(emulator.isc, id));
  });
  for (const action of ['grant', 'revoke'] as const) {
    admin.post(`/isc/identities/:id/access/${action}`, async (c) => {
      const parsed = change().safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) return c.json({ error: 'body must be {"type": "ROLE"|"ACCESS_PROFILE"|"ENTITLEMENT", "id": "…"}' }, 400);
      const env = emulator.isc;
      try {
        const res = action === 'grant' ? grantAccess(env, c.req.param('id'), parsed.data, undefined, { source: 'ADMIN' }) : revokeAccess(env, c.req.param('id'), parsed.data, undefined);
        await emulator.flush();
        return c.json({ ...res, accounts: accessIndex(env).accountsOf(c.req.param('id')).length });
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return c.json({ error: 'no such identity or item' }, 404);
        throw err;
      }
    });
  }
}
