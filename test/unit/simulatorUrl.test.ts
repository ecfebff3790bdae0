// `api_url 'simulator:?...'`: the built-in simulator as a server's address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSimulatorUrl, parseSimulatorUrl } from '../../src/fdw/simulator/url.js';
import { apiTarget } from '../../src/fdw/runtime/apiTarget.js';

test('defaults, and every parameter', () => {
  assert.deepEqual(parseSimulatorUrl('simulator:'), { seed: 1, users: 10_000, latencyMs: 0, key: 'test' });
  assert.deepEqual(parseSimulatorUrl(' Simulator:?users=500&seed=-3&orgs=7&memberships=40&latency_ms=25&key=live '), {
    seed: -3,
    users: 500,
    orgs: 7,
    memberships: 40,
    latencyMs: 25,
    key: 'live',
  });
  assert.equal(isSimulatorUrl('SIMULATOR:?users=1'), true);
  assert.equal(isSimulatorUrl('https://api.clerk.com/v1'), false);
});

test('mistakes are named, with the parameter to use', () => {
  assert.throws(
    () => parseSimulatorUrl('simulator:?userz=5'),
    /unknown simulator parameter "userz" \(did you mean "users"\?\); parameters: users, seed, orgs, memberships, latency_ms, key/,
  );
  assert.throws(() => parseSimulatorUrl('simulator:?users=-1'), /"users" must be an integer from 0 to 2000000, not "-1"/);
  assert.throws(() => parseSimulatorUrl('simulator:?users=1.5'), /"users" must be an integer/);
  assert.throws(() => parseSimulatorUrl('simulator:?users='), /"users" must be an integer/);
  assert.throws(() => parseSimulatorUrl('simulator:?users=1&users=2'), /given twice/);
  assert.throws(() => parseSimulatorUrl('simulator:?key=prod'), /"key" must be 'test' or 'live'/);
  assert.throws(() => parseSimulatorUrl('simulator://x'), /after "simulator:\?"/);
});

test('apiTarget: the simulator, or an https address and its origin', () => {
  assert.deepEqual(apiTarget('simulator:?users=3'), { kind: 'simulator', spec: { seed: 1, users: 3, latencyMs: 0, key: 'test' } });
  assert.deepEqual(apiTarget(undefined), { kind: 'http', apiUrl: 'https://api.clerk.com/v1', origin: 'https://api.clerk.com' });
  assert.throws(() => apiTarget('http://example.com/v1'), /plain http/);
});
