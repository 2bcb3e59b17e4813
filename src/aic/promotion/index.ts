// Self-service promotions (issue: promotions) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../core/types.js';

export const promotionArea: Area = { name: 'promotion' };
