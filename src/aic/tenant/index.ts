// Tenant facts (issue 15): environment info, service-account scopes, realms; the realm check AM routes share.
import type { Area } from '../../core/types.js';
import { DEFAULT_REALMS, tenantFixture, type TenantFixture, type TenantState } from './model.js';
import { tenantRoutes } from './routes.js';
import { clone } from '../../core/clone.js';

export const tenantArea: Area<TenantFixture, TenantState> = {
  name: 'tenant',
  fixture: tenantFixture,
  seed: (section) => ({ realms: clone(section.realms ?? DEFAULT_REALMS) as TenantState['realms'] }),
  snapshot: (state) => ({ realms: state.realms }),
  routes: (app) => tenantRoutes(app),
};
