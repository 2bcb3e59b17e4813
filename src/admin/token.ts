// POST /__emulator/token (issue "Authentication": control plane): a token without the OAuth flows. One body for both
// products; each product's oauth area registers the route through Area.adminRoutes and answers for its own
// environments (the other product's handler passes the request on).
import { z } from 'zod';
import type { EnvApp } from '../core/types.js';
import { adminError } from '../core/errors.js';
import { adminBody } from '../core/http.js';
import { lazy } from '../core/lazy.js';
import type { Emulator } from '../emulator.js';
import type { Environment } from '../environment.js';

export const tokenBody = lazy(() =>
  z
    .object({
      env: z.string(),
      subject: z.string().optional(),
      identityId: z.string().optional(),
      scopes: z.array(z.string()).default([]),
      type: z.enum(['serviceAccount', 'oauthClient', 'user']).default('serviceAccount'),
      expiresIn: z.number().int().positive().optional(),
    })
    .strict(),
);

export type TokenRequest = z.infer<ReturnType<typeof tokenBody>>;

/** Registers `POST /token` for the environments of `product`: `mint` turns the checked body into the JSON answer. */
export function tokenRoute(admin: EnvApp, emulator: Emulator, product: Environment['product'], mint: (env: Environment, body: TokenRequest) => Promise<object>): void {
  admin.post('/token', async (c, next) => {
    const body = await adminBody(c, tokenBody());
    const target = emulator.env(body.env);
    if (!target) throw adminError(404, `no environment ${body.env}`);
    if (target.product !== product) return next();
    return c.json(await mint(target, body));
  });
}
