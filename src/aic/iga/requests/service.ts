// Access requests (SPEC §6; S3 L3714–6500; S4 L17164–22100), one module per concern: store.ts (indexes, people,
// targets), validate.ts, create.ts (single and users × catalog items), decide.ts (phases and approver actions),
// lifecycle.ts (fulfilment, expiry and escalation on the emulator clock, user views, restored jobs, delegates).
export { actorFromId, ADMIN_ROLE, appView, entView, findRequest, FULFILMENT_DELAY_MS, fulfilmentControl, getRequest, isAdmin, JOB_END_DATE, JOB_FULFIL, JOB_PHASE_EVENT, JOB_REQUEST_EXPIRY, owners, principalRef, requestView, roleView, userRef, type FulfilmentControl, type Target } from './store.js';
export { validateRequest, type ValidationResult } from './validate.js';
export { bulkRequests, createRequest, planFor, validationError, type BulkError, type CreateOptions } from './create.js';
export { actOnRequest, delegatorsOf, openPhase, replaceRequestBody, type RequestAction } from './decide.js';
export { addDelegate, allRequests, canView, ensureScheduled, registerJobs, removeDelegate, userApprovals, userRequests } from './lifecycle.js';
