// Fixed-window rate limiting on the emulator clock (S4 L6473–6510: AIC logs 60/min; SPEC §7: ISC per token).
// Windows are aligned to multiples of the window length, so X-RateLimit-Reset is the window's end.

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one (0 when refused). */
  remaining: number;
  /** Window end, ms since epoch. */
  resetAt: number;
  /** Seconds until the window ends (for Retry-After), at least 1. */
  retryAfterSeconds: number;
}

interface Window {
  start: number;
  count: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: () => number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Count one request for `key` and decide. Refused requests do not consume the window further. */
  hit(key: string): RateDecision {
    return this.count(key, true)!;
  }

  /** hit() for a caller that only acts on a refusal: the same count, and no decision made for an allowed request. */
  refusal(key: string): RateDecision | undefined {
    return this.count(key, false);
  }

  private count(key: string, always: boolean): RateDecision | undefined {
    const now = this.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.sweep(start);
    }
    const limit = this.limit();
    const resetAt = start + this.windowMs;
    if (w.count >= limit) return { allowed: false, limit, remaining: 0, resetAt, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
    w.count++;
    return always ? { allowed: true, limit, remaining: limit - w.count, resetAt, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) } : undefined;
  }

  reset(): void {
    this.windows.clear();
  }

  private sweep(currentStart: number): void {
    for (const [k, w] of this.windows) if (w.start < currentStart) this.windows.delete(k);
  }
}
