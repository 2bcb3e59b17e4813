// Self-service promotion state and wire shapes (SPEC §3; S4 L3009–3900). Everything is plain JSON with emulator-time
// timestamps (ms) so that state is persisted, snapshotted and re-derived from the clock after a restart.
import { z } from 'zod';
import type { ConfigState, ReportBody } from './deps.js';
import { lazy } from '../../core/lazy.js';

export type LockState = 'unlocked' | 'locking' | 'locked' | 'unlocking' | 'error';

export interface Actor {
  id: string;
  type: 'serviceAccount' | 'oauthClient' | 'user' | 'identity' | 'apiClient';
}

/** One promotion lock; both environments of the pair hold an identical copy (S4 L3136: "lock the lower and upper"). */
export interface LockRecord {
  promotionId: string;
  lower: string;
  upper: string;
  requestedAt: number;
  /** When `locking` becomes `locked`. */
  lockedAt: number;
  unlockRequestedAt?: number;
  /** When `unlocking` becomes `unlocked`. */
  unlockedAt?: number;
  by: Actor;
  /** Who requested the unlock (issue 5: transitions are attributed to the caller); `by` when unlocked after a run. */
  unlockBy?: Actor;
  /** The `locked` transition has been logged. */
  announced?: boolean;
  /** Fault injection: the lock ends in `error` instead of `locked` (SPEC §3: result ∈ … | error). */
  failed?: boolean;
}

/** Fault injection on locking: `lock` → the next lock request answers 500 (S4 L3327); `locking` → it ends in `error`. */
export interface LockFault {
  failAt: 'lock' | 'locking';
  message?: string;
}

export const PHASES = {
  prepare: 'Prepare config',
  promote: 'Promote configuration',
  rollback: 'Rollback configuration',
  restart: 'Waiting for workloads to restart',
} as const;

export interface Fault {
  failAt: string;
  blocking: boolean;
  message?: string;
}

/** A promotion or rollback run on the upper environment. */
export interface Run {
  promotionId: string;
  type: 'promotion' | 'rollback';
  dryRun: boolean;
  ignoreEncryptedSecrets: boolean;
  unlockAfter: boolean;
  promoter?: string;
  promotionDescription?: string;
  lower: string;
  startedAt: number;
  status: 'RUNNING' | 'READY' | 'ERROR';
  message: string;
  blockingError: boolean;
  /** Last status change (the body's `timeStamp`). */
  timeStamp: number;
  /** While RUNNING: when the current phase (`message`) ends. */
  phaseEndsAt: number;
  missingESVs?: string[];
  encryptedSecrets?: string[];
  fault?: Fault;
  reportId?: string;
  by: Actor;
  txId: string;
}

export interface StoredReport {
  reportId: string;
  promotionId: string;
  createdDate: number;
  type: 'promotion' | 'rollback';
  dryRun: boolean;
  report: ReportBody;
  promoter?: string;
  promotionDescription?: string;
}

/** What the upper environment had before the last real promotion (S4 L3015: rollback restores it). */
export interface RollbackBase {
  promotionId: string;
  reportId: string;
  createdDate: number;
  config: ConfigState;
}

export interface Timings {
  lockMs: number;
  unlockMs: number;
  prepareMs: number;
  promoteMs: number;
  /** Used only when the ESV area offers no restart of its own. */
  restartMs: number;
}

export const DEFAULT_TIMINGS: Timings = { lockMs: 5_000, unlockMs: 5_000, prepareMs: 5_000, promoteMs: 10_000, restartMs: 30_000 };

export interface PromotionState {
  lock: LockRecord | null;
  /** Operator maintenance lock (control plane). */
  maintenance: boolean;
  /** Set by a blocking error; cleared only by the control plane (the real product needs a support case). */
  blocked: { promotionId: string; message: string } | null;
  run: Run | null;
  /** The next run on this (upper) environment fails at this phase (control plane). */
  fault: Fault | null;
  lockFault: LockFault | null;
  reports: StoredReport[];
  rollback: RollbackBase | null;
  timings: Timings;
}

const actorSchema = lazy(() =>
  z.object({ id: z.string(), type: z.enum(['serviceAccount', 'oauthClient', 'user', 'identity', 'apiClient']) }),
);
const faultSchema = lazy(() => z.object({ failAt: z.string(), blocking: z.boolean(), message: z.string().optional() }));

export const promotionFixture = lazy(() =>
  z.object({
    /** Promotion state of this environment (lock, current run, reports, rollback point, timings); default: unlocked, no history. */
    promotion: z
      .object({
        lock: z
          .object({
            promotionId: z.string(),
            lower: z.string(),
            upper: z.string(),
            requestedAt: z.number(),
            lockedAt: z.number(),
            unlockRequestedAt: z.number().optional(),
            unlockedAt: z.number().optional(),
            by: actorSchema(),
            unlockBy: actorSchema().optional(),
            announced: z.boolean().optional(),
            failed: z.boolean().optional(),
          })
          .nullable()
          .optional(),
        maintenance: z.boolean().optional(),
        blocked: z.object({ promotionId: z.string(), message: z.string() }).nullable().optional(),
        run: z.record(z.string(), z.unknown()).nullable().optional(),
        fault: faultSchema().nullable().optional(),
        lockFault: z.object({ failAt: z.enum(['lock', 'locking']), message: z.string().optional() }).nullable().optional(),
        reports: z.array(z.record(z.string(), z.unknown())).optional(),
        rollback: z.record(z.string(), z.unknown()).nullable().optional(),
        timings: z
          .object({ lockMs: z.number().int().min(0), unlockMs: z.number().int().min(0), prepareMs: z.number().int().min(0), promoteMs: z.number().int().min(0), restartMs: z.number().int().min(0) })
          .partial()
          .optional(),
      })
      .optional(),
  }),
);
export type PromotionFixture = z.infer<ReturnType<typeof promotionFixture>>;

// ---------- request bodies ----------

export const promoteBody = lazy(() =>
  z.object({
    dryRun: z.boolean(),
    ignoreEncryptedSecrets: z.boolean().optional(),
    promoter: z.string().optional(),
    promotionDescription: z.string().optional(),
    unlockEnvironmentsAfterPromotion: z.boolean().optional(),
    // frodo-lib PromotionApi PromotionRequestConfig: accepted, kept with the run
    zendeskTicketReference: z.string().optional(),
  }),
);

/** frodo-lib PromotionApi RollbackConfig: `{promoter, promotionDescription, unlockEnvironmentsAfterPromotion, zendeskTicketReference}`, all optional (S4: `{}`). */
export const rollbackBody = lazy(() =>
  z.object({
    promoter: z.string().optional(),
    promotionDescription: z.string().optional(),
    unlockEnvironmentsAfterPromotion: z.boolean().optional(),
    zendeskTicketReference: z.string().optional(),
  }),
);

export const faultBody = lazy(() =>
  z.object({
    env: z.string(),
    failAt: z.enum([PHASES.prepare, PHASES.promote, PHASES.rollback, PHASES.restart, 'lock', 'locking']),
    blocking: z.boolean().default(true),
    message: z.string().optional(),
  }),
);
export const maintenanceBody = lazy(() => z.object({ env: z.string(), locked: z.boolean() }));
export const unblockBody = lazy(() => z.object({ env: z.string().optional() }));
export const timingsBody = lazy(() =>
  z
    .object({ env: z.string().optional(), lockMs: z.number().int().min(0), unlockMs: z.number().int().min(0), prepareMs: z.number().int().min(0), promoteMs: z.number().int().min(0), restartMs: z.number().int().min(0) })
    .partial()
    .strict(),
);
