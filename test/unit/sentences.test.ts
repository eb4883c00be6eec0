import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.js';
import { errorSentence } from '../../src/slack/blocks/sentences.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { VpsClient } from '../../src/vps/client.js';
import { VpsError, type VpsErrorKind } from '../../src/vps/errors.js';

const TOKEN = 'vps-secret-token-4c1d';
const sim = new Simulator({ token: TOKEN, settleMs: 30, provisionMs: 30 });
let vps: VpsClient;
let impatient: VpsClient;

beforeAll(async () => {
  await sim.listen();
  vps = new VpsClient({ baseUrl: sim.baseUrl, token: TOKEN, timeoutMs: 2000, retry: { limit: 0 } });
  impatient = new VpsClient({ baseUrl: sim.baseUrl, token: TOKEN, timeoutMs: 60, retry: { limit: 0 } });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function failure(promise: Promise<unknown>): Promise<VpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VpsError);
  return error as VpsError;
}

/** What every sentence a person sees must be. */
function expectClean(sentence: string): void {
  expect(sentence.length).toBeGreaterThan(10);
  expect(sentence.length).toBeLessThan(400);
  expect(sentence).not.toContain('\n');
  expect(sentence).not.toMatch(/\bat .+:\d+:\d+|\.ts:\d+|Error:|VpsError|undefined|\[object/);
  expect(sentence).not.toContain(TOKEN);
  expect(sentence).not.toMatch(/[{}]|<html|Traceback/i);
  expect(sentence).toMatch(/[.?]$/);
}

const SERVER = '/api/v1/servers/12345/';

describe('errorSentence when the state store is away', () => {
  it('is the exact sentence of the contract, with a plain apostrophe', () => {
    const sentence = errorSentence(new StoreUnavailableError('not connected'));
    expect(sentence).toMatch(/^the bot's state store is unavailable; nothing was changed\b/i);
    expectClean(sentence);
  });
});

describe('errorSentence for every kind of VPS.org failure', () => {
  it('unauthorized: points at VPS_API_TOKEN', async () => {
    const wrong = new VpsClient({ baseUrl: sim.baseUrl, token: 'wrong-token-xyz', timeoutMs: 2000 });
    const error = await failure(wrong.list());
    expect(error.kind).toBe('unauthorized');
    const sentence = errorSentence(error);
    expectClean(sentence);
    expect(sentence).toContain('VPS_API_TOKEN');
    expect(sentence).not.toContain('wrong-token-xyz');
  });

  it('payment_required: the balance is too low (402)', async () => {
    sim.setBalance(false);
    const error = await failure(vps.create({ name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west' }));
    expect(error.kind).toBe('payment_required');
    const sentence = errorSentence(error, 'create', 'web-03');
    expectClean(sentence);
    expect(sentence).toMatch(/balance/);
    expect(sentence).toContain('402');
  });

  it('not_found: no such server, named when known', async () => {
    const error = await failure(vps.get(99999));
    expect(error.kind).toBe('not_found');
    expectClean(errorSentence(error));
    expect(errorSentence(error)).toMatch(/no such server/i);
    const named = errorSentence(error, 'stop', 'web-server-09');
    expectClean(named);
    expect(named).toContain('web-server-09');
  });

  it('invalid input refused before any request: names the field', async () => {
    const error = await failure(vps.patch(12345, { hostname: 'not a hostname' }));
    expect(error.kind).toBe('invalid');
    expect(sim.requests).toEqual([]);
    const sentence = errorSentence(error, 'hostname', 'web-server-01');
    expectClean(sentence);
    expect(sentence).toContain('hostname');
    expect(sentence).toMatch(/nothing was changed/i);
  });

  it('invalid input refused by VPS.org: says what it said, never the token', async () => {
    sim.fault({
      method: 'PATCH',
      path: SERVER,
      status: 400,
      body: { detail: `name: a server with this name already exists (token ${TOKEN}).` },
    });
    const error = await failure(vps.patch(12345, { name: 'db-server-01' }));
    expect(error.kind).toBe('invalid');
    const sentence = errorSentence(error, 'rename', 'web-server-01');
    expectClean(sentence);
    expect(sentence).toContain('already exists');
    expect(sentence).toContain('name');
  });

  it('invalid with a raw, non-JSON body: no body in the sentence', async () => {
    sim.fault({
      method: 'PATCH',
      path: SERVER,
      status: 400,
      body: '<html><body>Bad Request {"x":1}</body></html>',
    });
    const error = await failure(vps.patch(12345, { name: 'web-server-02' }));
    expect(error.kind).toBe('invalid');
    expectClean(errorSentence(error, 'rename', 'web-server-01'));
  });

  it('rate_limited: try again later, nothing changed', async () => {
    sim.fault({ method: 'POST', path: `${SERVER}stop/`, status: 429 });
    const error = await failure(vps.stop(12345));
    expect(error.kind).toBe('rate_limited');
    const sentence = errorSentence(error, 'stop', 'web-server-01');
    expectClean(sentence);
    expect(sentence).toMatch(/rate limit/i);
    expect(sentence).toMatch(/nothing changed/i);
  });

  it('unavailable: VPS.org is down, nothing changed; no stack trace from the body', async () => {
    sim.fault({
      method: 'GET',
      path: '/api/v1/servers/',
      status: 503,
      body: 'Traceback (most recent call last):\n  File "/srv/api/views.py", line 12',
    });
    const error = await failure(vps.list());
    expect(error.kind).toBe('unavailable');
    const sentence = errorSentence(error);
    expectClean(sentence);
    expect(sentence).toMatch(/down|unreachable/);
    expect(sentence).toMatch(/nothing changed/i);
  });

  it('timeout of a read: VPS.org is slow, nothing changed', async () => {
    sim.fault({ method: 'GET', path: SERVER, hangMs: 1000 });
    const error = await failure(impatient.get(12345));
    expect(error.kind).toBe('timeout');
    expect(error.outcomeUnknown).toBe(false);
    const sentence = errorSentence(error);
    expectClean(sentence);
    expect(sentence).toMatch(/slow|in time/);
    expect(sentence).toMatch(/nothing changed/i);
  });

  it('a POST that timed out may or may not have happened: check its status', async () => {
    sim.fault({ method: 'POST', path: `${SERVER}stop/`, hangMs: 1000 });
    const error = await failure(impatient.stop(12345));
    expect(error.kind).toBe('timeout');
    expect(error.outcomeUnknown).toBe(true);
    const sentence = errorSentence(error, 'stop', 'web-server-01');
    expectClean(sentence);
    expect(sentence).toContain('may or may not have happened');
    expect(sentence).toContain('/vps show web-server-01');
    expect(sentence).not.toMatch(/nothing changed/i);
  });

  it('a POST whose connection was reset may or may not have happened', async () => {
    sim.fault({ method: 'POST', path: '/api/v1/servers/', reset: true });
    const error = await failure(vps.create({ name: 'web-03', plan_id: 1, os_id: 5, location: 'us-west' }));
    expect(error.outcomeUnknown).toBe(true);
    const sentence = errorSentence(error, 'create', 'web-03');
    expectClean(sentence);
    expect(sentence).toContain('may or may not have happened');
  });

  it('a DELETE or PATCH that timed out may have happened too: never "nothing changed"', async () => {
    sim.fault({ method: 'DELETE', path: SERVER, hangMs: 1000 });
    const deleted = await failure(impatient.delete(12345));
    expect(deleted.kind).toBe('timeout');
    const deleteSentence = errorSentence(deleted, 'delete', 'web-server-01');
    expectClean(deleteSentence);
    expect(deleteSentence).not.toMatch(/nothing changed/i);
    expect(deleteSentence).toContain('may or may not have happened');

    sim.fault({ method: 'PATCH', path: SERVER, hangMs: 1000 });
    const patched = await failure(impatient.patch(12345, { name: 'web-server-02' }));
    const patchSentence = errorSentence(patched, 'rename', 'web-server-01');
    expectClean(patchSentence);
    expect(patchSentence).not.toMatch(/nothing changed/i);
    expect(patchSentence).toContain('may or may not have happened');
  });

  it('bad_response: an answer the bot cannot read', async () => {
    sim.fault({ method: 'GET', path: '/api/v1/servers/', status: 200, body: { servers: 'nope' } });
    const error = await failure(vps.list());
    expect(error.kind).toBe('bad_response');
    expectClean(errorSentence(error));
    sim.fault({ method: 'POST', path: `${SERVER}reboot/`, status: 200, body: { weird: true } });
    const reboot = await failure(vps.reboot(12345));
    const sentence = errorSentence(reboot, 'reboot', 'web-server-01');
    expectClean(sentence);
    expect(sentence).toContain('may or may not have happened');
  });

  it('gives each kind its own sentence', () => {
    const kinds: VpsErrorKind[] = [
      'unauthorized',
      'payment_required',
      'not_found',
      'invalid',
      'rate_limited',
      'unavailable',
      'timeout',
      'bad_response',
    ];
    const sentences = kinds.map((kind) =>
      errorSentence(new VpsError({ kind, message: `raw ${kind} message`, operation: 'GET /servers/' })),
    );
    for (const sentence of sentences) expectClean(sentence);
    expect(new Set(sentences).size).toBe(kinds.length);
  });
});

describe('errorSentence for anything else', () => {
  it('says something went wrong inside the bot, without its message or stack', () => {
    const error = new TypeError(`Cannot read properties of undefined (reading 'x') ${TOKEN}`);
    const sentence = errorSentence(error, 'stop', 'web-server-01');
    expectClean(sentence);
    expect(sentence).not.toContain('Cannot read');
    expect(errorSentence('a thrown string')).toBe(sentence);
    expect(errorSentence(undefined)).toBe(sentence);
  });

  it('escapes the server name it repeats', () => {
    const error = new VpsError({ kind: 'timeout', message: 'x', operation: 'POST /servers/1/stop/' });
    const sentence = errorSentence(error, 'stop', '<!channel> & co');
    expect(sentence).not.toContain('<!channel>');
    expect(sentence).toContain('&lt;!channel&gt; &amp; co');
  });
});
