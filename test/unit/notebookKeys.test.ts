// The extension's key handling without VS Code: the store over SecretStorage (and its fallback
// when the OS keyring fails), and the confirmation before a key is used for an origin other
// than Clerk's API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { keyringMessage, VsCodeSecretStore } from '../../src/notebook/secretStore.js';
import { OriginGuard, type OriginAnswer } from '../../src/notebook/originGuard.js';
import { MemorySecretStore } from '../../src/fdw/runtime/secrets.js';
import { SqlError } from '../../src/fdw/runtime/sqlError.js';

class Memento {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback: T): T {
    return (this.values.get(key) as T | undefined) ?? fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

/** SecretStorage as Linux without a keyring gives it: every call throws. */
const noKeyring = {
  get: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
  store: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
  delete: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
} as unknown as vscode.SecretStorage;

function workingKeyring(): vscode.SecretStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (k: string) => data.get(k),
    store: async (k: string, v: string) => void data.set(k, v),
    delete: async (k: string) => void data.delete(k),
  } as unknown as vscode.SecretStorage & { data: Map<string, string> };
}

test('keys go to SecretStorage named by server and origin; forget and forget-all remove them', async () => {
  const keyring = workingKeyring();
  const warnings: string[] = [];
  const store = new VsCodeSecretStore(keyring, new Memento() as unknown as vscode.Memento, (m) => warnings.push(m));
  await store.set('a', 'https://api.clerk.com', 'sk_test_a');
  await store.set('b', 'http://127.0.0.1:3000', 'sk_test_b');
  assert.equal(await store.get('a', 'https://api.clerk.com'), 'sk_test_a');
  assert.equal(await store.get('a', 'http://127.0.0.1:3000'), undefined);
  assert.deepEqual([...keyring.data.keys()].sort(), [
    'clerk-sql-notebook.api_key/http://127.0.0.1:3000/b',
    'clerk-sql-notebook.api_key/https://api.clerk.com/a',
  ]);
  assert.equal(await store.forget('a', 'https://api.clerk.com'), true);
  assert.equal(await store.forgetAll(), 1);
  assert.equal(keyring.data.size, 0);
  assert.deepEqual(warnings, []);
});

test('without a keyring, keys are kept in memory and the user is told once, clearly', async () => {
  const warnings: string[] = [];
  const store = new VsCodeSecretStore(noKeyring, new Memento() as unknown as vscode.Memento, (m) => warnings.push(m));
  assert.equal(await store.get('a', 'https://api.clerk.com'), undefined);
  await store.set('a', 'https://api.clerk.com', 'sk_test_a');
  assert.equal(await store.get('a', 'https://api.clerk.com'), 'sk_test_a');
  assert.deepEqual(store.list(), [{ server: 'a', origin: 'https://api.clerk.com' }]);
  assert.equal(await store.forget('a', 'https://api.clerk.com'), true);
  assert.equal(await store.get('a', 'https://api.clerk.com'), undefined);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0], keyringMessage(new Error('Cannot create an item in a locked collection')));
  assert.match(warnings[0], /kept in memory until VS Code closes.*gnome-keyring or KWallet/);
  assert.ok(!warnings[0].includes('sk_test_a'));
});

function guard(answers: OriginAnswer[], allowed: string[] = []) {
  const inner = new MemorySecretStore();
  inner.set('s', 'https://api.clerk.com', 'sk_test_clerk');
  inner.set('s', 'https://eu.example.com', 'sk_test_eu');
  const asked: string[] = [];
  const remembered: string[] = [];
  const g = new OriginGuard(inner, {
    allowed: () => allowed,
    confirm: async (server, origin) => {
      asked.push(`${server} ${origin}`);
      await new Promise((r) => setTimeout(r, 5));
      return answers.shift();
    },
    remember: async (origin) => void remembered.push(origin),
  });
  return { g, asked, remembered };
}

test("Clerk's own origin needs no confirmation", async () => {
  const { g, asked } = guard([]);
  assert.equal(await g.get('s', 'https://api.clerk.com'), 'sk_test_clerk');
  assert.deepEqual(asked, []);
});

test('another origin: declined gives an error and no key; asked again on the next run', async () => {
  const { g, asked } = guard([undefined, 'once']);
  await assert.rejects(g.get('s', 'https://eu.example.com'), (e: unknown) => {
    assert.ok(e instanceof SqlError);
    assert.equal(e.code, 'HV00N');
    assert.match(e.message, /requests of server "s" to https:\/\/eu\.example\.com were not allowed/);
    return true;
  });
  assert.equal(await g.get('s', 'https://eu.example.com'), 'sk_test_eu');
  assert.equal(await g.get('s', 'https://eu.example.com'), 'sk_test_eu');
  assert.equal(asked.length, 2);
});

test('concurrent requests for one origin share one dialog; "always" is remembered; the setting skips the dialog', async () => {
  const { g, asked, remembered } = guard(['always']);
  const keys = await Promise.all([g.get('s', 'https://eu.example.com'), g.get('s', 'https://eu.example.com')]);
  assert.deepEqual(keys, ['sk_test_eu', 'sk_test_eu']);
  assert.deepEqual(asked, ['s https://eu.example.com']);
  assert.deepEqual(remembered, ['https://eu.example.com']);

  const preset = guard([], ['https://eu.example.com']);
  assert.equal(await preset.g.get('s', 'https://eu.example.com'), 'sk_test_eu');
  assert.deepEqual(preset.asked, []);
});

test('a confirmation that cannot be shown counts as declined', async () => {
  const inner = new MemorySecretStore();
  const g = new OriginGuard(inner, {
    allowed: () => [],
    confirm: () => Promise.reject(new Error('DialogService: refused to show dialog in tests.')),
    remember: async () => undefined,
  });
  await assert.rejects(g.get('s', 'https://eu.example.com'), /requests of server "s" to https:\/\/eu\.example\.com were not allowed/);
});
