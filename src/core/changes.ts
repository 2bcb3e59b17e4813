// Change notifications for watchers of the emulator (the console's live pages, tools on GET /__emulator/events).
// One feed per emulator. It costs nothing while nobody watches: the hooks into each environment's store and log
// book are attached on the first subscription and detached with the last, so the product request path runs
// exactly as it does without a console. Notifications are coalesced (one batch per tick window) and name what
// changed: an environment and an area ('state', 'logs', 'clock', 'faults'; a log change also names its source).
import type { Environment } from '../environment.js';

export interface Change {
  /** Environment name, or '*' for emulator-wide changes (clock, faults). */
  env: string;
  area: string;
  /** For area 'logs': the log source that gained entries. */
  source?: string;
}

export type ChangeListener = (batch: Change[]) => void;

/** How long notifications are gathered before a batch goes out (well inside the console's one-second budget). */
export const BATCH_MS = 50;

export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private readonly pending = new Map<string, Change>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private detach: (() => void)[] = [];

  constructor(private readonly environments: () => readonly Environment[]) {}

  /** Whether anyone is watching (callers with costly notifications check this first). */
  get watched(): boolean {
    return this.listeners.size > 0;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  subscribe(listener: ChangeListener): () => void {
    if (this.listeners.size === 0) this.attach();
    this.listeners.add(listener);
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      for (const off of this.detach) off();
      this.detach = [];
      this.pending.clear();
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
    };
  }

  /** Record a change; delivered to every subscriber in the next batch. A no-op while nobody watches. */
  notify(env: string, area: string, source?: string): void {
    if (this.listeners.size === 0) return;
    const key = `${env}\u0000${area}\u0000${source ?? ''}`;
    if (!this.pending.has(key)) this.pending.set(key, source === undefined ? { env, area } : { env, area, source });
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Deliver the pending batch now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const l of this.listeners) {
      try {
        l(batch);
      } catch {
        /* a broken watcher never affects the emulator */
      }
    }
  }

  private attach(): void {
    for (const env of this.environments()) {
      const name = env.name;
      // state: every write goes through store.touch()/replace() (env.changed(), jobs, reset, seed)
      env.store.onChange = () => this.notify(name, 'state');
      this.detach.push(() => (env.store.onChange = undefined));
      this.detach.push(env.logbook.onAppend((e) => this.notify(name, 'logs', e.source)));
    }
  }
}
