// Monitoring logs (issue: logs) — placeholder until its issue is implemented (see README "Areas").
import type { Area } from '../../core/types.js';

export const logsArea: Area = { name: 'logs' };
