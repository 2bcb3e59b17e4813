// Promotable static configuration (issue 5): IDM config objects and AM scripts, journeys and OAuth2 clients.
import type { Area } from '../../core/types.js';
import { configFixture, type ConfigFixture, type ConfigState } from './model.js';
import { defaultConfig } from './defaults.js';
import { configRoutes } from './routes.js';

export const configArea: Area<ConfigFixture, ConfigState> = {
  name: 'config',
  fixture: configFixture,
  seed: (section, ctx) => {
    if (section.config) return { idm: section.config.idm ?? {}, am: section.config.am ?? {}, amGlobal: section.config.amGlobal ?? {} } as ConfigState;
    // the first AIC environment (no lower neighbour) is development: it carries the unpromoted changes
    const isDevelopment = ctx.envName === 'dev';
    return defaultConfig(ctx.envName, isDevelopment);
  },
  snapshot: (state) => ({ config: { ...state, amGlobal: state.amGlobal ?? {} } }),
  routes: (app) => configRoutes(app),
};
