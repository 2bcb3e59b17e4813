// IGA certifications (issue: AIC certifications) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../../core/types.js';

export const certificationsArea: Area = { name: 'certifications' };
