// The one clock every time-dependent behaviour reads (DESIGN.md "Time is injectable").
// Emulator time = start + (real elapsed × scale) + offset; frozen stops the real-elapsed part.

export interface ClockOptions {
  /** Multiplier applied to real elapsed time (`--time-scale 10` makes async work ten times faster). */
  scale?: number;
  /** Start frozen: time only moves with advance(). */
  frozen?: boolean;
  /** Emulator time at creation (ms since epoch); default real now. */
  startAt?: number;
  /** Source of real time, injectable for the clock's own tests. */
  realNow?: () => number;
}

export interface ClockState {
  now: string;
  frozen: boolean;
  offsetMs: number;
  scale: number;
}

export class Clock {
  private readonly realNow: () => number;
  private readonly realStart: number;
  private readonly start: number;
  private elapsedAtFreeze = 0;
  private realAtResume: number;
  private frozenFlag: boolean;
  private offset = 0;
  /** While a due job runs, the clock reads that job's due time (see at()). */
  private pinned: number | undefined;
  private scaleValue: number;

  constructor(opts: ClockOptions = {}) {
    this.realNow = opts.realNow ?? Date.now;
    this.realStart = this.realNow();
    this.realAtResume = this.realStart;
    this.start = opts.startAt ?? this.realStart;
    this.scaleValue = opts.scale ?? 1;
    this.frozenFlag = opts.frozen ?? false;
    if (!(this.scaleValue > 0)) throw new Error('time scale must be > 0');
  }

  /** Scaled real time elapsed while not frozen. */
  private runElapsed(): number {
    if (this.frozenFlag) return this.elapsedAtFreeze;
    return this.elapsedAtFreeze + (this.realNow() - this.realAtResume) * this.scaleValue;
  }

  /** Emulator time in ms since epoch (integer). */
  now(): number {
    if (this.pinned !== undefined) return this.pinned;
    return Math.floor(this.start + this.runElapsed() + this.offset);
  }

  /**
   * Run `fn` with the clock reading `t` (never later than the real emulator time): work that came due at `t` but runs
   * late, after a clock jump or a restart, records `t` in its timestamps and schedules its follow-ups from `t`.
   */
  at<T>(t: number, fn: () => T): T {
    const outer = this.pinned;
    this.pinned = undefined;
    const current = this.now();
    this.pinned = Math.min(t, current);
    try {
      return fn();
    } finally {
      this.pinned = outer;
    }
  }

  nowDate(): Date {
    return new Date(this.now());
  }

  nowIso(): string {
    return isoString(this.now());
  }

  /** Seconds since epoch, as JWT claims want them. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  get frozen(): boolean {
    return this.frozenFlag;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Jump forward (or back, for tests that need it) by ms of emulator time. */
  advance(ms: number): void {
    this.offset += ms;
  }

  get scale(): number {
    return this.scaleValue;
  }

  /** Change how fast emulator time runs from now on (the time already elapsed stays as it is). */
  setScale(scale: number): void {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error('time scale must be > 0');
    this.elapsedAtFreeze = this.runElapsed();
    this.realAtResume = this.realNow();
    this.scaleValue = scale;
  }

  setFrozen(frozen: boolean): void {
    if (frozen === this.frozenFlag) return;
    if (frozen) {
      this.elapsedAtFreeze = this.runElapsed();
    } else {
      this.realAtResume = this.realNow();
    }
    this.frozenFlag = frozen;
  }

  /** Convert a duration of emulator time to real ms (for timers that poll due jobs). */
  toRealMs(emulatorMs: number): number {
    return emulatorMs / this.scaleValue;
  }

  state(): ClockState {
    return { now: this.nowIso(), frozen: this.frozenFlag, offsetMs: this.offset, scale: this.scaleValue };
  }
}

// the ISO form of the last millisecond asked for: the timestamps of one request (and of the requests of the same
// millisecond) share it instead of formatting a Date each (issue #17)
let lastMs = NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, remembered for the last `ms` asked for. */
export function isoString(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
