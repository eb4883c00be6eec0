import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Actor, ChangeRequest, RedeemOutcome } from '../../src/records.js';
import { CONFIRMATION_TTL_MS, Confirmations } from '../../src/service/confirmations.js';
import { FileStore } from '../../src/store/file.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { StateStore } from '../../src/store/store.js';
import { makeServer } from '../unit/helpers.js';

const OWNER: Actor = { userId: 'U0ALICE', channelId: 'C1' };
const STOP: ChangeRequest = { action: 'stop', serverId: 12345 };
const CONFIRMATION_METHODS = new Set(['saveConfirmation', 'redeemConfirmation', 'getConfirmation']);

/**
 * The store, with every confirmation call started and finished when fast-check's scheduler says:
 * the calls overlap in whatever order it picks, and shrinks a failing order to the shortest.
 */
function scheduled(store: StateStore, s: fc.Scheduler): StateStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !CONFIRMATION_METHODS.has(String(property))) return value;
      return async (...args: unknown[]) => {
        await s.schedule(Promise.resolve(), `${String(property)} starts`);
        const result: unknown = await value.apply(target, args);
        return s.schedule(Promise.resolve(result), `${String(property)} ends`);
      };
    },
  });
}

/** The memory store, its every write a point where the scheduler may run something else first. */
class SchedulingMemoryStore extends MemoryStore {
  readonly #s: fc.Scheduler;

  constructor(s: fc.Scheduler) {
    super();
    this.#s = s;
  }

  protected override async persist(): Promise<void> {
    await this.#s.schedule(Promise.resolve(), 'the store writes');
  }
}

type Op =
  | { kind: 'redeem'; target: number; by: 'owner' | 'other' }
  | { kind: 'get'; target: number }
  | { kind: 'issue' }
  | { kind: 'expire' };

const ISSUED_FIRST = 3;
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('redeem' as const),
      target: fc.nat(ISSUED_FIRST - 1),
      by: fc.constantFrom('owner' as const, 'other' as const),
    }),
  },
  fc.record({ kind: fc.constant('get' as const), target: fc.nat(ISSUED_FIRST - 1) }),
  fc.record({ kind: fc.constant('issue' as const) }),
  fc.record({ kind: fc.constant('expire' as const) }),
);
const ops = fc.array(op, { minLength: 2, maxLength: 12 });

/**
 * Issues a few confirmations, then runs every operation at once in the scheduler's order, the clock
 * moving past the expiry whenever an `expire` runs. Returns each confirmation's redeem outcomes.
 */
async function interleave(store: StateStore, s: fc.Scheduler, operations: Op[]) {
  const clock = { now: 1_000_000 };
  const direct = new Confirmations(store, () => clock.now);
  const ids: string[] = [];
  for (let i = 0; i < ISSUED_FIRST; i++) {
    ids.push((await s.waitFor(direct.issue(OWNER, STOP, makeServer()))).id);
  }
  const confirmations = new Confirmations(scheduled(store, s), () => clock.now);
  const outcomes = new Map<string, RedeemOutcome['kind'][]>(ids.map((id) => [id, []]));
  const run = async (operation: Op): Promise<void> => {
    switch (operation.kind) {
      case 'redeem': {
        const id = ids[operation.target] as string;
        const user = operation.by === 'owner' ? OWNER.userId : 'U0MALLORY';
        const outcome = await confirmations.redeem(id, user);
        outcomes.get(id)?.push(outcome.kind);
        if (outcome.kind === 'ok') expect(user).toBe(OWNER.userId);
        return;
      }
      case 'get':
        await confirmations.get(ids[operation.target] as string);
        return;
      case 'issue':
        await confirmations.issue(OWNER, STOP, makeServer());
        return;
      case 'expire':
        await s.schedule(Promise.resolve(), 'the clock passes the expiry');
        clock.now += CONFIRMATION_TTL_MS;
    }
  };
  await s.waitFor(Promise.all(operations.map(run)));
  for (const [id, kinds] of outcomes) {
    expect(kinds.filter((kind) => kind === 'ok').length, `${id}: ${kinds.join(', ')}`).toBeLessThanOrEqual(1);
  }
  return { ids, outcomes, clock };
}

describe('a confirmation is never redeemed twice, whatever the interleaving', () => {
  it('in memory', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), ops, async (s, operations) => {
        await interleave(new SchedulingMemoryStore(s), s, operations);
      }),
      { numRuns: 150 },
    );
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('in a real file store, and still not after it is opened again from disk', async () => {
    const logger = createLogger({ level: 'error', secrets: [] });
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), ops, async (s, operations) => {
        const dir = mkdtempSync(join(tmpdir(), 'vps-bot-confirmations-'));
        dirs.push(dir);
        const store = await FileStore.open(dir, logger);
        let result: Awaited<ReturnType<typeof interleave>>;
        try {
          result = await interleave(store, s, operations);
        } finally {
          await store.close();
        }
        // What was redeemed is durable: after a restart the owner's redeem is "used", never "ok".
        const reopened = await FileStore.open(dir, logger);
        try {
          for (const [id, kinds] of result.outcomes) {
            const again = await reopened.redeemConfirmation(id, OWNER.userId, result.clock.now);
            if (kinds.includes('ok')) expect(again.kind).toBe('used');
          }
        } finally {
          await reopened.close();
        }
      }),
      { numRuns: 20 },
    );
  });
});
