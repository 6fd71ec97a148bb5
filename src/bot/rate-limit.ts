/** A sliding-window counter per key: at most `limit` events per `windowMs`. */
export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event for `key` and says whether it was within the limit. */
  allow(key: string): boolean {
    const now = this.now();
    const recent = (this.events.get(key) ?? []).filter((t) => now - t < this.windowMs);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    // Re-insert so the Map's order is recency order; drop the stalest keys beyond a bound.
    this.events.delete(key);
    this.events.set(key, recent);
    if (this.events.size > 10_000) this.events.delete(this.events.keys().next().value!);
    return allowed;
  }
}

/** Runs tasks one at a time per key (one answer at a time per conversation). */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
