// Pulls a source of text chunks at once, ahead of its consumer, up to a bound: a foreign table's
// pages are fetched (and made COPY text) while the database is still busy, or still starting, and
// the fetch waits only when that much is held.
export interface ReadAhead extends AsyncIterable<string> {
  /** Stops pulling (the source's iteration is ended); what was held is dropped. */
  stop(): void;
}

export function readAhead(source: AsyncIterable<string>, maxChars: number): ReadAhead {
  const held: string[] = [];
  let heldChars = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  /** Wakes whoever waits: the consumer for a chunk, or the pump for room. */
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const wait = () => new Promise<void>((resolve) => (wake = resolve));

  void (async () => {
    try {
      for await (const chunk of source) {
        if (stopped) return;
        held.push(chunk);
        heldChars += chunk.length;
        signal();
        while (heldChars >= maxChars && !stopped) await wait();
        if (stopped) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      signal();
    }
  })();

  return {
    stop() {
      stopped = true;
      held.length = 0;
      signal();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = held.shift();
        if (chunk !== undefined) {
          heldChars -= chunk.length;
          signal();
          yield chunk;
          continue;
        }
        if (failure) throw failure.error;
        if (done) return;
        await wait();
      }
    },
  };
}
