// ISC certification rules (SPEC §7, seed S2, contract): visibility, decisions, reassignment, sign-off, remediation,
// certification tasks. Attribution is always the token's identity (seeds 000/001): an API client's token acts as its
// service identity, a PAT or authorization-code token as the human; nothing in a request can name another actor.
// The rules live in the files of this folder, split along their concerns; this module re-exports them.
export * from './state.js';
export * from './authorization.js';
export * from './render.js';
export * from './queries.js';
export * from './decisions.js';
export * from './reassign.js';
