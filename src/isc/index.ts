// The ISC product: its areas in registration order (identities first: credentials, the access model and certifications
// refer to them; the access model before certifications, whose review items are drawn from it).
import type { AnyArea } from '../core/types.js';
import { iscIdentitiesArea } from './identities/index.js';
import { iscOAuthArea } from './oauth/index.js';
import { iscAccessArea } from './access/index.js';
import { iscCertificationsArea } from './certifications/index.js';
import { iscAccessRequestsArea } from './requests/index.js';
import { iscSearchArea } from './search/index.js';
import { iscCampaignsArea } from './campaigns/index.js';

export const iscAreas: AnyArea[] = [iscIdentitiesArea, iscOAuthArea, iscAccessArea, iscCertificationsArea, iscAccessRequestsArea, iscSearchArea, iscCampaignsArea];
