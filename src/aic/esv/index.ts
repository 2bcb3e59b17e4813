// ESVs (issue: ESVs) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../core/types.js';

export const esvArea: Area = { name: 'esv' };
