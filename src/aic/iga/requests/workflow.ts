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
  if (typeof date === 'number') return date * DAY;
  const text = exprText(date);
  const m = /getTime\(\)\s*\+\s*\(([\d\s*.]+)\)/.exec(text);
  if (!m) return null;
  const ms = m[1]!.split('*').map((x) => Number(x.trim())).reduce((a, b) => a * b, 1);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

function approvalStep(step: JsonObject, ui: JsonObject): ApprovalStep {
  const task = (step.approvalTask ?? {}) as JsonObject;
  const uiStep = (ui[String(step.name)] ?? {}) as JsonObject;
  const uiActors = (uiStep.actors as JsonObject[] | undefined) ?? [];
  const rawActors = Array.isArray(task.actors) ? (task.actors as JsonObject[]) : task.actors ? [{ id: task.actors }] : [];
  const actors = rawActors.map((a, i) => ({
    rule: actorRule(a.id, typeof uiActors[i]?.type === 'string' ? (uiActors[i]!.type as string) : undefined),
    permissions: { ...FULL_PERMISSIONS, ...((a.permissions as Partial<Permissions>) ?? {}) },
  }));
  const events = (task.events ?? {}) as JsonObject;
  const exp = (events.expiration ?? {}) as JsonObject;
  const esc = (events.escalation ?? {}) as JsonObject;
  const rem = (events.reminder ?? {}) as JsonObject;
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
function pickNext(next: JsonObject[], skipApproval: boolean): string | null {
  if (next.length === 0) return null;
  const prefer = (cond: string) => next.find((n) => typeof n.condition === 'string' && (n.condition as string).replace(/\s+/g, '') === cond);
  const choice =
    prefer(skipApproval ? 'skipApproval==true' : 'skipApproval==false') ??
    prefer('failureReason==null') ??
    prefer('enableWait==false') ??
    prefer('enableEndWait==false') ??
    next.find((n) => n.outcome === 'APPROVE' || n.outcome === 'done' || n.outcome === 'COMPLETE') ??
    next[0]!;
  return (choice.step as string | null) ?? null;
}

/** The approval tasks a request passes through, in order (empty: auto-approved or a workflow without approvals). */
export function approvalSteps(wf: Workflow | undefined, skipApproval = false): ApprovalStep[] {
  if (!wf) return [];
  const steps = new Map(((wf.steps as JsonObject[]) ?? []).map((s) => [String(s.name), s]));
  const statics = (wf.staticNodes ?? {}) as JsonObject;
  const ui = (statics.uiConfig ?? {}) as JsonObject;
  let cur: string | null = (((statics.startNode as JsonObject)?.connections as JsonObject)?.start as string) ?? ((wf.steps as JsonObject[])?.[0]?.name as string) ?? null;
  const out: ApprovalStep[] = [];
  const seen = new Set<string>();
  while (cur && !seen.has(cur) && seen.size < 200) {
    seen.add(cur);
    const step = steps.get(cur);
    if (!step) break;
    const body = (step[String(step.type)] ?? {}) as JsonObject;
    if (step.type === 'approvalTask') out.push(approvalStep(step, ui));
    cur = pickNext((body.nextStep as JsonObject[]) ?? [], skipApproval);
  }
  return out;
}

export type { PlannedPhase };
