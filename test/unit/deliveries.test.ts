import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/inflight.js';
import { Deliveries } from '../../src/slack/deliveries.js';
import { MemoryStore } from '../../src/store/memory.js';
import { collectLogger } from './helpers.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('Deliveries', () => {
  const deliveries = (now: () => number = Date.now, ttlMs?: number) =>
    new Deliveries(new MemoryStore(), collectLogger().logger, now, ttlMs);

  it('sees a delivery the first time only', async () => {
    const seen = deliveries();
    expect(await seen.firstTime('trigger-1')).toBe(true);
    expect(await seen.firstTime('trigger-1')).toBe(false);
    expect(await seen.firstTime('trigger-1')).toBe(false);
    expect(await seen.firstTime('trigger-2')).toBe(true);
  });

  it('lets anything without a key through', async () => {
    const seen = deliveries();
    expect(await seen.firstTime(undefined)).toBe(true);
    expect(await seen.firstTime(undefined)).toBe(true);
    expect(await seen.firstTime('')).toBe(true);
    expect(await seen.firstTime('')).toBe(true);
  });

  it('forgets a delivery after its TTL, and not before', async () => {
    const clock = { now: 0 };
    const seen = deliveries(() => clock.now, 1000);
    expect(await seen.firstTime('a')).toBe(true);
    clock.now = 500;
    expect(await seen.firstTime('b')).toBe(true);
    clock.now = 999;
    expect(await seen.firstTime('a')).toBe(false);
    clock.now = 1000;
    expect(await seen.firstTime('a')).toBe(true);
    expect(await seen.firstTime('b')).toBe(false);
    clock.now = 1500;
    expect(await seen.firstTime('b')).toBe(true);
  });

  it('remembers many deliveries at once', async () => {
    const seen = deliveries(() => 0);
    for (let i = 0; i < 1000; i++) expect(await seen.firstTime(`t${i}`)).toBe(true);
    for (let i = 0; i < 1000; i++) expect(await seen.firstTime(`t${i}`)).toBe(false);
  });
});

describe('InFlight', () => {
  it('runs a task, gives back its result and forgets it when done', async () => {
    const inflight = new InFlight();
    const gate = deferred<number>();
    const result = inflight.run(() => gate.promise);
    expect(inflight.size).toBe(1);
    gate.resolve(42);
    expect(await result).toBe(42);
    expect(inflight.size).toBe(0);
  });

  it('forgets a failed task too, and passes its failure on', async () => {
    const inflight = new InFlight();
    await expect(inflight.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(inflight.size).toBe(0);
    expect(await inflight.drain(1000)).toBe(true);
  });

  it('drains at once when nothing is under way', async () => {
    const started = performance.now();
    expect(await new InFlight().drain(5000)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('drain waits for everything under way, failures included', async () => {
    const inflight = new InFlight();
    const a = deferred();
    const b = deferred();
    const finished: string[] = [];
    void inflight.run(() => a.promise.then(() => finished.push('a')));
    void inflight.run(() => b.promise.then(() => finished.push('b'))).catch(() => finished.push('b failed'));
    const drained = inflight.drain(5000);
    let settled = false;
    void drained.then(() => {
      settled = true;
    });
    a.resolve();
    await a.promise;
    await Promise.resolve();
    expect(settled).toBe(false);
    b.reject(new Error('late failure'));
    const started = performance.now();
    expect(await drained).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(finished.sort()).toEqual(['a', 'b failed']);
    expect(inflight.size).toBe(0);
  });

  it('drain gives up after its timeout, saying so, and the task goes on', async () => {
    const inflight = new InFlight();
    const gate = deferred<string>();
    const task = inflight.run(() => gate.promise);
    const started = performance.now();
    expect(await inflight.drain(30)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(inflight.size).toBe(1);
    gate.resolve('done');
    expect(await task).toBe('done');
    expect(await inflight.drain(30)).toBe(true);
  });
});
