// A queue between page fetches and the consumer of a read. Each item carries a `release`
// that runs when the consumer takes it, so a fetch slot is held until its rows are consumed:
// memory stays bounded by the number of slots, however far ahead the network could go.
export class Channel<T> {
  private readonly items: { value: T; release: () => void }[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private error: { reason: unknown } | undefined;

  push(value: T, release: () => void): void {
    this.items.push({ value, release });
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  fail(reason: unknown): void {
    this.error ??= { reason };
    for (const item of this.items.splice(0)) item.release();
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.error) throw this.error.reason;
      const item = this.items.shift();
      if (item) {
        item.release();
        yield item.value;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Counts free fetch slots; `acquire` waits for one and returns its release. */
export class Slots {
  private readonly waiters: (() => void)[] = [];
  constructor(private free: number) {}

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.free++;
    };
  }
}
