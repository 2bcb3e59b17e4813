// The AIC product: its areas in registration order. Order matters: an area's seed sees the slices of the
// areas before it (governance before the IGA areas), and middleware registers before routes.
import type { AnyArea } from '../core/types.js';
import { aicOAuthArea } from './oauth/index.js';
import { logsArea } from './logs/index.js';
import { governanceArea } from './governance/index.js';
import { esvArea } from './esv/index.js';
import { configArea } from './config/index.js';
import { tenantArea } from './tenant/index.js';
import { idmArea } from './idm/index.js';
import { promotionArea } from './promotion/index.js';
import { certificationsArea } from './iga/certifications/index.js';
import { requestsArea } from './iga/requests/index.js';

export const aicAreas: AnyArea[] = [
  aicOAuthArea,
  logsArea,
  governanceArea,
  esvArea,
  tenantArea,
  configArea,
  idmArea,
  promotionArea,
  certificationsArea,
  requestsArea,
];
