// Calls sent to a worker thread and waiting for its reply, by call id: the database worker's
// (workerHandle.ts) and the runtime thread's (src/fdw/host/runtimeThread.ts).

export class PendingCalls<T extends { reject(error: Error): void }> extends Map<number, T> {
  /** Removes and returns call `id`: its reply came. */
  take(id: number): T | undefined {
    const call = this.get(id);
    this.delete(id);
    return call;
  }

  /** Rejects every waiting call and forgets them: the worker failed. */
  rejectAll(error: Error): void {
    for (const call of this.values()) call.reject(error);
    this.clear();
  }
}
