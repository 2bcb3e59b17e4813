// IDM/AM promotable configuration (issue: promotions) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../core/types.js';

export const configArea: Area = { name: 'config' };
