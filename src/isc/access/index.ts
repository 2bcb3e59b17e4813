// ISC access model area (issue 13): sources, accounts, entitlements, access profiles, roles, governance groups and
// identities' assignments; the provisioning service other areas call (service.ts), and the reads, writes and search
// over it (routes.ts, ../search/).
import type { Area } from '../../core/types.js';
import { iscAccessFixture, type IscAccessFixture, type IscAccessState } from './model.js';
import { seedAccess, snapshotAccess } from './seed.js';
import { ACCESS_AREA } from './service.js';
import { registerAccessRoutes } from './routes.js';
import { accessAdminRoutes } from './admin.js';

export const iscAccessArea: Area<IscAccessFixture, IscAccessState> = {
  name: ACCESS_AREA,
  fixture: iscAccessFixture,
  seed: seedAccess,
  // normalised through the fixture schema: objects created at runtime get the key order seeding produces
  snapshot: (st) => iscAccessFixture().parse(snapshotAccess(st)),
  routes: registerAccessRoutes,
  adminRoutes: accessAdminRoutes,
};
