// Clock-driven background work (DESIGN.md: no setTimeout chains in services). A job is a row in the
// environment's state with a due time; handlers registered by areas run when the clock passes it.
// Jobs are processed lazily at the start of each request, on control-plane clock moves, and by a light
// poller in server mode, so advancing the clock or restarting the process never leaves work stuck.

export interface Job {
  id: string;
  kind: string;
  dueAt: number;
  payload: Record<string, unknown>;
}

export type JobHandler = (job: Job) => void;

export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private seq = 0;

  constructor(
    private readonly rows: () => Job[],
    private readonly now: () => number,
    private readonly onChange: () => void,
    /** Runs a handler with the clock reading the job's due time (Clock.at); default: as is. */
    private readonly runAt: (t: number, fn: () => void) => void = (_t, fn) => fn(),
  ) {}

  on(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Schedule `kind` at emulator time `dueAt`; returns the job id. */
  schedule(kind: string, dueAt: number, payload: Record<string, unknown> = {}): string {
    const list = this.rows();
    const id = `${kind}-${dueAt}-${++this.seq}-${Math.random().toString(36).slice(2, 8)}`;
    const job: Job = { id, kind, dueAt, payload };
    // keep rows ordered by dueAt so the due check is O(1) when nothing is due
    let i = list.length;
    while (i > 0 && list[i - 1]!.dueAt > dueAt) i--;
    list.splice(i, 0, job);
    this.onChange();
    return id;
  }

  cancel(predicate: (job: Job) => boolean): number {
    const list = this.rows();
    let removed = 0;
    for (let i = list.length - 1; i >= 0; i--) {
      if (predicate(list[i]!)) {
        list.splice(i, 1);
        removed++;
      }
    }
    if (removed) this.onChange();
    return removed;
  }

  pending(): readonly Job[] {
    return this.rows();
  }

  /** Earliest due time, or undefined when idle. */
  nextDue(): number | undefined {
    return this.rows()[0]?.dueAt;
  }

  /**
   * Run every job due by now, in due order (jobs a handler schedules for the past run too). Each handler runs at its
   * job's due time, so a late run (a clock jump, a restart) records the times the work really came due.
   */
  runDue(): number {
    const list = this.rows();
    let ran = 0;
    while (list.length && list[0]!.dueAt <= this.now()) {
      const job = list.shift()!;
      const handler = this.handlers.get(job.kind);
      ran++;
      this.onChange();
      if (!handler) continue;
      try {
        this.runAt(job.dueAt, () => handler(job));
      } catch (err) {
        console.error(`[emulator] job ${job.kind} failed:`, err);
      }
    }
    return ran;
  }
}
