// The ISC product: its areas in registration order (identities first: credentials and certifications refer to them).
import type { Area } from '../core/types.js';
import { iscIdentitiesArea } from './identities/index.js';
import { iscOAuthArea } from './oauth/index.js';
import { iscCertificationsArea } from './certifications/index.js';
import { iscAccessRequestsArea } from './requests/index.js';

export const iscAreas: Area<any, any>[] = [iscIdentitiesArea, iscOAuthArea, iscCertificationsArea, iscAccessRequestsArea];
