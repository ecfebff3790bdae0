// Typed calls between two threads: the one RPC of the database worker (src/fdw/db) and of the
// runtime thread (src/fdw/host). It has its own folder because it serves both and knows neither.
//
// Either side may serve an API, an object of async methods; the other side calls them by name,
// with argument and result types derived from the API's type (as PGlite's own worker does), so a
// method's types are written once, where it is implemented. Arguments and results are
// structured-clone data, except two kinds of argument:
// - an AbortSignal arrives as a signal that aborts when the caller's does;
// - a function arrives as an async function that runs the caller's function on the caller's
//   thread and resolves once it has returned, with what it returned: a callee that sends rows
//   through one and waits sends the next slice only when the caller has taken this one. It can be
//   called until the call it came with settles.
// Errors cross as the ErrorCodec of the connection encodes them, and are decoded again on the
// other side. Every call waiting for a reply rejects when the connection fails (its thread died).

/** An API another thread may call: async methods. */
export type Api<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/** An argument as the caller gives it: a function may return its result or a promise of it. */
type Given<T> = T extends (...args: infer P) => infer R ? (...args: P) => R | Awaited<R> : T;

export type Args<A, K extends keyof A> = A[K] extends (...args: infer P) => Promise<unknown> ? { [I in keyof P]: Given<P[I]> } : never;
export type Result<A, K extends keyof A> = A[K] extends (...args: never[]) => Promise<infer R> ? R : never;

/** How errors cross: `encode` makes structured-clone data of one, `decode` the error again. */
export interface ErrorCodec<Info> {
  encode(error: unknown): Info;
  decode(info: Info): Error;
}

/** A Worker, or a worker's parentPort. */
export interface Port<Info> {
  postMessage(message: Message<Info>): void;
  on(event: 'message', listener: (message: Message<Info>) => void): unknown;
}

/** Arguments that were not sent as they are: the index of each, and what it was. */
type Marks = [index: number, kind: 'signal' | 'function'][];

type Message<Info> =
  /** A signal argument is sent as whether it was aborted already, a function one as null. */
  | { kind: 'call'; id: number; method: string; args: unknown[]; marks: Marks }
  /** Runs the function argument `arg` of the receiver's call `call`. */
  | { kind: 'callback'; id: number; call: number; arg: number; args: unknown[] }
  | { kind: 'abort'; call: number; arg: number }
  | { kind: 'return'; id: number; value: unknown }
  | { kind: 'throw'; id: number; error: Info };

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** The call's function arguments, by index. */
  functions?: Map<number, (...args: unknown[]) => unknown>;
}

export interface ConnectionOptions<Info> {
  /** What the other side may call; calls wait for it to be there, and fail as it does if it fails. */
  serve?: object | Promise<object>;
  errors: ErrorCodec<Info>;
  /** Served calls run one at a time, in the order they came. */
  inOrder?: boolean;
}

export class Connection<Remote extends Api<Remote>, Info> {
  private readonly port: Port<Info>;
  private readonly errors: ErrorCodec<Info>;
  private readonly serving: Promise<object | undefined>;
  private readonly inOrder: boolean;
  /** Calls and callbacks sent, by id, until their reply comes. */
  private readonly waiting = new Map<number, Waiting>();
  /** Signals of the calls being served, by call id and argument index. */
  private readonly signals = new Map<number, Map<number, AbortController>>();
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private failedWith: Error | undefined;

  constructor(port: Port<Info>, { serve, errors, inOrder = false }: ConnectionOptions<Info>) {
    this.port = port;
    this.errors = errors;
    this.inOrder = inOrder;
    this.serving = Promise.resolve(serve);
    // Its failure is each call's, reported to the caller: not an unhandled rejection here.
    this.serving.catch(() => undefined);
    port.on('message', (message) => this.receive(message));
  }

  /** Why calls fail: set by fail(). */
  get failure(): Error | undefined {
    return this.failedWith;
  }

  call<K extends keyof Remote & string>(method: K, ...args: Args<Remote, K>): Promise<Result<Remote, K>> {
    const marks: Marks = [];
    const functions = new Map<number, (...args: unknown[]) => unknown>();
    const signals = new Map<number, AbortSignal>();
    const sent = (args as unknown[]).map((arg, index) => {
      if (typeof arg === 'function') {
        marks.push([index, 'function']);
        functions.set(index, arg as (...args: unknown[]) => unknown);
        return null;
      }
      if (arg instanceof AbortSignal) {
        marks.push([index, 'signal']);
        signals.set(index, arg);
        return arg.aborted;
      }
      return arg;
    });
    const id = this.nextId++;
    const reply = this.send(id, { kind: 'call', id, method, args: sent, marks }, functions) as Promise<Result<Remote, K>>;
    if (signals.size === 0) return reply;
    const forwards = [...signals].map(([arg, signal]) => {
      const forward = () => this.post({ kind: 'abort', call: id, arg });
      signal.addEventListener('abort', forward, { once: true });
      return () => signal.removeEventListener('abort', forward);
    });
    return reply.finally(() => forwards.forEach((remove) => remove()));
  }

  /** Rejects every call waiting for a reply, and every later one, with `error` (the first one given). */
  fail(error: Error): void {
    this.failedWith ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failedWith);
    this.waiting.clear();
  }

  private send(id: number, message: Message<Info>, functions?: Waiting['functions']): Promise<unknown> {
    if (this.failedWith) return Promise.reject(this.failedWith);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, functions });
      try {
        this.port.postMessage(message);
      } catch (error) {
        // A value that cannot be cloned (a symbol, a class instance's methods) fails here; thrown
        // in the executor, it rejects the call.
        this.waiting.delete(id);
        throw error;
      }
    });
  }

  private post(message: Message<Info>): void {
    if (!this.failedWith) this.port.postMessage(message);
  }

  private receive(message: Message<Info>): void {
    switch (message.kind) {
      case 'call':
        this.serve(message);
        return;
      case 'callback': {
        const callback = this.waiting.get(message.call)?.functions?.get(message.arg);
        const { args } = message;
        const run = async () => {
          if (!callback) throw new Error('a callback was called after its call ended');
          return callback(...args);
        };
        this.reply(message.id, run());
        return;
      }
      case 'abort':
        this.signals.get(message.call)?.get(message.arg)?.abort();
        return;
      case 'return':
      case 'throw': {
        const waiting = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.kind === 'return') waiting?.resolve(message.value);
        else waiting?.reject(this.errors.decode(message.error));
        return;
      }
    }
  }

  private serve({ id, method, args, marks }: Extract<Message<Info>, { kind: 'call' }>): void {
    const signals = new Map<number, AbortController>();
    for (const [index, kind] of marks) {
      if (kind === 'function') {
        args[index] = (...callbackArgs: unknown[]) => this.callback(id, index, callbackArgs);
      } else {
        const controller = new AbortController();
        if (args[index] === true) controller.abort();
        signals.set(index, controller);
        args[index] = controller.signal;
      }
    }
    if (signals.size > 0) this.signals.set(id, signals);
    const run = async () => {
      const api = await this.serving;
      const handler: unknown = api && Reflect.get(api, method);
      if (typeof handler !== 'function') throw new Error(`no method ${method} is served`);
      const value: unknown = Reflect.apply(handler, api, args);
      return value;
    };
    const result = this.inOrder ? this.queue.then(run) : run();
    if (this.inOrder) this.queue = result.catch(() => undefined);
    this.reply(
      id,
      result.finally(() => this.signals.delete(id)),
    );
  }

  /** Runs a function argument of call `call` on the side that made the call. */
  private callback(call: number, arg: number, args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    const reply = this.send(id, { kind: 'callback', id, call, arg, args });
    // A callee that does not wait for a callback (a progress report) does not see it fail either.
    reply.catch(() => undefined);
    return reply;
  }

  private reply(id: number, result: Promise<unknown>): void {
    result.then(
      (value) => {
        try {
          this.post({ kind: 'return', id, value });
        } catch (error) {
          // A result that cannot be cloned: the call fails rather than hangs.
          this.post({ kind: 'throw', id, error: this.errors.encode(error) });
        }
      },
      (error: unknown) => this.post({ kind: 'throw', id, error: this.errors.encode(error) }),
    );
  }
}
