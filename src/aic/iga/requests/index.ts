// IGA access requests (issue: AIC access requests) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../../core/types.js';

export const requestsArea: Area = { name: 'requests' };
