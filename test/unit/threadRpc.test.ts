// The worker-thread RPC (src/fdw/thread) against a real worker thread (test/helpers/rpcWorker.ts):
// values and errors both ways, a call back into the caller's thread, aborts, acknowledged
// callbacks, calls in order, and what becomes of calls when the thread stops. And the one slicing
// of rows for crossing threads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { rowSlices } from '../../src/fdw/thread/rowSlices.js';
import { WorkerThread } from '../../src/fdw/thread/workerThread.js';
import { workerScript } from '../../src/fdw/thread/workerScript.js';
import { CodedError, codedErrors, type CallerApi, type CodedInfo, type RpcWorkerConfig } from '../helpers/rpcTest.js';
import type { TestWorkerApi } from '../helpers/rpcWorker.js';

// Run from source, as every test is: the bundle name is never used.
const SCRIPT = workerScript('rpc-worker', 'test/helpers/rpcWorker.ts');

class Stopped extends Error {}

function start(config: RpcWorkerConfig, answer: CallerApi['answer'] = async (question) => `yes to ${question}`) {
  return new WorkerThread<TestWorkerApi, CodedInfo>(SCRIPT, {
    workerData: config,
    serve: { answer } satisfies CallerApi,
    errors: codedErrors,
    stopError: (stop) => new Stopped('error' in stop ? `failed: ${stop.error.message}` : `exited with ${stop.exitCode}`),
  });
}

describe('a worker thread serving an API', () => {
  let thread: WorkerThread<TestWorkerApi, CodedInfo>;
  before(() => {
    thread = start({ inOrder: false });
  });
  after(async () => {
    await thread.terminate(new Error('done'));
  });

  test('arguments and results are structured-clone values', async () => {
    const value = { big: 2n ** 70n, bytes: new Uint8Array([0, 255]), nested: [{ a: null, b: undefined, when: new Date(0) }], text: 'é😀' };
    assert.deepEqual(await thread.call('echo', value), value);
  });

  test("a callee's error arrives as the codec decodes it, its fields kept", async () => {
    await assert.rejects(thread.call('fail', 'E42'), (error) => error instanceof CodedError && error.code === 'E42' && error.message === 'failed with E42');
  });

  test("the callee calls the caller's thread back, and an error there crosses both ways", async () => {
    assert.equal(await thread.call('askCaller', 'tea?'), 'the caller said: yes to tea?');
    const refusing = start({ inOrder: false }, async () => {
      throw new CodedError('no', 'REFUSED');
    });
    try {
      await assert.rejects(refusing.call('askCaller', 'tea?'), (error) => error instanceof CodedError && error.code === 'REFUSED');
    } finally {
      await refusing.terminate(new Error('done'));
    }
  });

  test("an AbortSignal argument aborts in the callee when the caller's does, or arrives aborted", async () => {
    const abort = new AbortController();
    const waiting = thread.call('waitForAbort', abort.signal);
    await sleep(50);
    abort.abort();
    assert.equal(await waiting, 'aborted while waiting');
    assert.equal(await thread.call('waitForAbort', AbortSignal.abort()), 'aborted before the call');
  });

  test("a function argument runs on the caller's thread; the callee gets what it returned, once it has returned", async () => {
    let taking = 0;
    let mostTaking = 0;
    const taken: number[] = [];
    const results = await thread.call('stream', 5, async (n) => {
      mostTaking = Math.max(mostTaking, ++taking);
      await sleep(10);
      taken.push(n);
      taking--;
      return n * 10;
    });
    assert.deepEqual(results, [0, 10, 20, 30, 40]);
    assert.deepEqual(taken, [0, 1, 2, 3, 4]);
    assert.equal(mostTaking, 1, 'the next one was sent only once this one was taken');
  });

  test('a function argument fails once its call has ended', async () => {
    await thread.call('keep', () => undefined);
    await assert.rejects(thread.call('callKept'), /a callback was called after its call ended/);
  });

  test('calls run concurrently unless the connection serves them in order', async () => {
    assert.ok(Math.max(...(await Promise.all([1, 2, 3].map(() => thread.call('overlap', 50))))) > 1);
    const ordered = start({ inOrder: true });
    try {
      assert.deepEqual(await Promise.all([1, 2, 3].map(() => ordered.call('overlap', 50))), [1, 1, 1]);
    } finally {
      await ordered.terminate(new Error('done'));
    }
  });

  test('a value that cannot be cloned fails its call, on either side, and the connection stays usable', async () => {
    await assert.rejects(thread.call('unclonable'), /could not be cloned/);
    await assert.rejects(thread.call('echo', Symbol('no')), /could not be cloned/);
    assert.equal(await thread.call('echo', 'still here'), 'still here');
  });
});

describe('when the API or the thread fails', () => {
  test('an API that fails to come up fails every call with its error', async () => {
    const thread = start({ inOrder: false, failToStart: 'NOPE' });
    try {
      const calls = [thread.call('echo', 1), thread.call('overlap', 1)];
      await Promise.all(calls.map((call) => assert.rejects(call, (error) => error instanceof CodedError && error.code === 'NOPE')));
    } finally {
      await thread.terminate(new Error('done'));
    }
  });

  test('a thread that exits fails the pending calls and every later one with the error named for it', async () => {
    const thread = start({ inOrder: false });
    const calls = [thread.call('waitForAbort', new AbortController().signal), thread.call('exit', 3)];
    await Promise.all(calls.map((call) => assert.rejects(call, (error) => error instanceof Stopped && error.message === 'exited with 3')));
    await thread.exited;
    assert.equal(thread.failure?.message, 'exited with 3');
    await assert.rejects(thread.call('echo', 1), (error) => error instanceof Stopped);
  });

  test('a thread that fails (an uncaught error) fails its calls with the error named for it', async () => {
    const thread = start({ inOrder: false });
    await assert.rejects(thread.call('throwUncaught'), (error) => error instanceof Stopped && error.message === 'failed: uncaught in the worker');
    await thread.exited;
  });

  test('terminate fails the pending calls with its reason, and resolves once the thread has exited', async () => {
    const thread = start({ inOrder: false });
    const waiting = assert.rejects(thread.call('waitForAbort', new AbortController().signal), /stopped by the test/);
    await sleep(100);
    await thread.terminate(new Error('stopped by the test'));
    await waiting;
    await assert.rejects(thread.call('echo', 1), /stopped by the test/);
  });
});

describe('rows sliced for crossing threads', () => {
  test('consecutive slices of at most 20,000 values cover every row once', () => {
    for (const [total, columns] of [
      [0, 3],
      [1, 3],
      [45_001, 2],
      [100_000, 10],
      [7, 0],
      [3, 50_000],
    ] as const) {
      const slices = [...rowSlices(total, columns)];
      let next = 0;
      for (const { offset, count } of slices) {
        assert.equal(offset, next);
        assert.ok(count >= 1 && (count === 1 || count * columns <= 20_000), `${count} rows of ${columns} columns`);
        next += count;
      }
      assert.equal(next, total);
    }
    assert.deepEqual(
      [...rowSlices(45_001, 2)].map(({ offset }) => offset),
      [0, 10_000, 20_000, 30_000, 40_000],
    );
  });
});
