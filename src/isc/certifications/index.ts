// ISC certifications (issue: ISC certifications) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../core/types.js';

export const iscCertificationsArea: Area = { name: 'iscCertifications' };
