// IDM objects beside configuration (issue 15): internal roles, the connector-server test, script evaluation (refused).
import type { Area } from '../../core/types.js';
import { DEFAULT_INTERNAL_ROLES, idmFixture, type IdmFixture, type IdmState } from './model.js';
import { idmRoutes } from './routes.js';
import { clone } from '../../core/clone.js';

export const idmArea: Area<IdmFixture, IdmState> = {
  name: 'idm',
  fixture: idmFixture,
  seed: (section) => ({ internalRoles: clone(section.internalRoles ?? DEFAULT_INTERNAL_ROLES) }),
  snapshot: (state) => ({ internalRoles: state.internalRoles as IdmFixture['internalRoles'] }),
  routes: (app) => idmRoutes(app),
};
