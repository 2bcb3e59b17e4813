// Certification rules as plain functions over the environment's state and clock (no HTTP here), one file per
// concept: state.ts (state, indexes, principals), templates.ts, campaigns.ts, items.ts (decisions, sign-off).
export * from './state.js';
export * from './templates.js';
export * from './campaigns.js';
export * from './items.js';
