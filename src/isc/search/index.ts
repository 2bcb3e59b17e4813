// ISC search (issue 13): POST /v3/search, /count, /aggregate and GET /v3/search/{index}/{id} over documents derived
// from the access model (documents.ts) and the events log (events.ts, where every area records its audit events).
import type { Area } from '../../core/types.js';
import { registerSearchRoutes } from './routes.js';

export const iscSearchArea: Area = {
  name: 'iscSearch',
  routes: registerSearchRoutes,
};
