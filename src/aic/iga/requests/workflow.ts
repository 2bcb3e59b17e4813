// Reading a workflow definition (recorded shape: steps with approvalTask/scriptTask/waitTask, staticNodes) into the
// approval phases a request goes through. The emulator does not run the scripts: it follows the path a request
// takes when validation succeeds (S4 L17190–17400: context check → approval task(s) → provisioning) and resolves
// each approval task's actors from what the expression names (owner, manager, a fixed user or role).
import type { JsonObject, Permissions, PlannedPhase, Workflow } from './model.js';

const DAY = 86_400_000;
export const FULL_PERMISSIONS: Permissions = { approve: true, reject: true, reassign: true, modify: true, comment: true };

/** What an approval task's actor expression designates. */
export type ActorRule =
  | { kind: 'manager' }
  | { kind: 'applicationOwner' }
  | { kind: 'entitlementOwner' }
  | { kind: 'roleOwner' }
  | { kind: 'defaultApprover' }
  | { kind: 'fixed'; id: string };

export interface ApprovalStep {
  name: string;
  displayName: string;
  actors: Array<{ rule: ActorRule; permissions: Permissions }>;
  expirationMs: number | null;
  expirationAction: 'reject' | 'reassign' | 'none';
  expirationActors: ActorRule[];
  escalationMs: number | null;
  escalationActors: ActorRule[];
  reminderMs: number | null;
  events: JsonObject;
}

function exprText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value ?? '');
  return '';
}

/** Classify an actor expression (recording: `"managed/user/" + requestIndex.applicationOwner[0].id`, role owner
 *  with defaultApprover fallback, `systemSettings.defaultApprover`) or a literal `managed/user/<id>`. */
export function actorRule(id: unknown, uiType?: string): ActorRule {
  const text = exprText(id);
  if (uiType === 'manager' || /\.manager\b/.test(text)) return { kind: 'manager' };
  if (uiType === 'entitlementOwner' || text.includes('entitlementOwner')) return { kind: 'entitlementOwner' };
  if (uiType === 'roleOwner' || text.includes('roleOwner')) return { kind: 'roleOwner' };
  if (uiType === 'applicationOwner' || text.includes('applicationOwner')) return { kind: 'applicationOwner' };
  const literal = /^(managed\/(?:alpha_|bravo_)?(?:user|role)\/[^"'\s]+)$/.exec(text.trim().replace(/^"|"$/g, ''));
  if (literal) return { kind: 'fixed', id: literal[1]!.replace(/managed\/(?:alpha_|bravo_)/, 'managed/') };
  return { kind: 'defaultApprover' };
}

/** `(new Date(new Date().getTime()+(7*24*60*60*1000))).toISOString()` → 7 days in ms; a number of days → ms. */
export function durationMs(date: unknown): number | null {
  // a number of days, within a century (a larger one is no date a timestamp can carry)
  if (typeof date === 'number') return Number.isFinite(date) && date > 0 && date <= 36_500 ? date * DAY : null;
  const text = exprText(date);
  const m = /getTime\(\)\s*\+\s*\(([\d\s*.]+)\)/.exec(text);
  if (!m) return null;
  const ms = m[1]!.split('*').map((x) => Number(x.trim())).reduce((a, b) => a * b, 1);
  return Number.isFinite(ms) && ms > 0 && ms <= 36_500 * DAY ? ms : null;
}

function approvalStep(step: JsonObject, ui: JsonObject): ApprovalStep {
  const task = (step.approvalTask ?? {}) as JsonObject;
  const uiStep = (ui[String(step.name)] ?? {}) as JsonObject;
  const uiActors = Array.isArray(uiStep.actors) ? (uiStep.actors as JsonObject[]) : [];
  const rawActors = (Array.isArray(task.actors) ? (task.actors as unknown[]) : task.actors ? [{ id: task.actors }] : []).filter(isObject) as JsonObject[];
  const actors = rawActors.map((a, i) => ({
    rule: actorRule(a.id, typeof uiActors[i]?.type === 'string' ? (uiActors[i]!.type as string) : undefined),
    permissions: { ...FULL_PERMISSIONS, ...(isObject(a.permissions) ? (a.permissions as Partial<Permissions>) : {}) },
  }));
  const events = (isObject(task.events) ? task.events : {}) as JsonObject;
  const part = (v: unknown) => (isObject(v) ? v : {}) as JsonObject;
  const exp = part(events.expiration);
  const esc = part(events.escalation);
  const rem = part(events.reminder);
  const action = exp.action === 'reassign' ? 'reassign' : exp.action === 'reject' ? 'reject' : 'none';
  const ruleList = (v: unknown): ActorRule[] => (Array.isArray(v) ? v.map((a) => actorRule(a && typeof a === 'object' && 'id' in a ? (a as JsonObject).id : a)) : []);
  return {
    name: String(step.name),
    displayName: String(step.displayName ?? step.name),
    actors,
    expirationMs: exp.date !== undefined ? durationMs(exp.date) : null,
    expirationAction: action,
    expirationActors: ruleList(exp.actors),
    escalationMs: esc.date !== undefined ? durationMs(esc.date) : null,
    escalationActors: ruleList(esc.actors),
    reminderMs: rem.date !== undefined ? durationMs(rem.date) : null,
    events,
  };
}

/** Branch choice at gateways on the path of a request that needs approval and passes validation. */
function pickNext(given: unknown, skipApproval: boolean): string | null {
  const next = (Array.isArray(given) ? given.filter(isObject) : []) as JsonObject[];
  if (next.length === 0) return null;
  const prefer = (cond: string) => next.find((n) => typeof n.condition === 'string' && (n.condition as string).replace(/\s+/g, '') === cond);
  const choice =
    prefer(skipApproval ? 'skipApproval==true' : 'skipApproval==false') ??
    prefer('failureReason==null') ??
    prefer('enableWait==false') ??
    prefer('enableEndWait==false') ??
    next.find((n) => n.outcome === 'APPROVE' || n.outcome === 'done' || n.outcome === 'COMPLETE') ??
    next[0]!;
  return typeof choice.step === 'string' ? choice.step : null;
}

/** The approval tasks a request passes through, in order (empty: auto-approved or a workflow without approvals). */
export function approvalSteps(wf: Workflow | undefined, skipApproval = false): ApprovalStep[] {
  if (!wf) return [];
  // a stored workflow is read defensively: whatever a draft held, planning a request never throws
  const list = (Array.isArray(wf.steps) ? wf.steps.filter(isObject) : []) as JsonObject[];
  const steps = new Map(list.map((s) => [String(s.name), s]));
  const statics = (isObject(wf.staticNodes) ? wf.staticNodes : {}) as JsonObject;
  const ui = (isObject(statics.uiConfig) ? statics.uiConfig : {}) as JsonObject;
  const start = ((statics.startNode as JsonObject | undefined)?.connections as JsonObject | undefined)?.start;
  let cur: string | null = typeof start === 'string' ? start : typeof list[0]?.name === 'string' ? (list[0].name as string) : null;
  const out: ApprovalStep[] = [];
  const seen = new Set<string>();
  while (cur && !seen.has(cur) && seen.size < 200) {
    seen.add(cur);
    const step = steps.get(cur);
    if (!step) break;
    const body = (isObject(step[String(step.type)]) ? step[String(step.type)] : {}) as JsonObject;
    if (step.type === 'approvalTask') out.push(approvalStep(step, ui));
    cur = pickNext(body.nextStep, skipApproval);
  }
  return out;
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export type { PlannedPhase };
