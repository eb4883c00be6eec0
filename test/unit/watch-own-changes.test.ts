import { beforeAll, expect, it, vi } from 'vitest';
import type { FleetNotice, MessageRef } from '../../src/records.js';
import { FleetWatch } from '../../src/service/watch.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { VpsClient } from '../../src/vps/client.js';
import { collectLogger, useSimulator } from './helpers.js';

const { sim, vps: client } = useSimulator();
let vps: VpsClient;
beforeAll(() => {
  vps = client();
});

function watchWithSink(store: MemoryStore) {
  const told: FleetNotice[] = [];
  const sink = {
    post: async (channel: string, notice: FleetNotice): Promise<MessageRef> => {
      told.push(notice);
      return { channel, ts: String(told.length) };
    },
    update: async () => {},
  };
  const watch = new FleetWatch({
    vps,
    store,
    logger: collectLogger().logger,
    sink,
    notifyChannel: 'C0NOTIFY',
    watchMs: 3_600_000,
  });
  return { watch, told };
}

const said = (told: FleetNotice[]) =>
  told.map((notice) =>
    notice.kind === 'status' ? `${notice.name}: ${notice.from} → ${notice.to}` : notice.kind,
  );

it('a change another replica makes while the fleet is being listed is not told, then or later', async () => {
  const store = new MemoryStore();
  const { watch, told } = watchWithSink(store);
  await watch.look(); // the first look: the baseline
  sim.setLatency(200);
  const from = sim.requests.length;
  const looking = watch.look();
  // The list request has arrived and is being answered (the simulator records it on arrival).
  await vi.waitFor(
    () =>
      expect(sim.requests.slice(from).some((r) => r.path === '/api/v1/servers/' && r.status === 0)).toBe(
        true,
      ),
    { timeout: 5000, interval: 5 },
  );
  // Meanwhile, on another replica, the bot stops web-server-01 and notes it in the shared store; the
  // list on its way was made before the stop, so it still shows the server active.
  await store.noteOwnChange(12345, { name: 'web-server-01', status: 'stopped' });
  await looking;
  sim.setStatus(12345, 'stopped');
  sim.setLatency(0);
  await watch.look();
  await watch.look();
  expect(told).toEqual([]);
  expect(await store.ownChanges()).toEqual([]);

  // What happens to it behind the bot's back afterwards is told, once.
  sim.setStatus(12345, 'active');
  await watch.look();
  await watch.look();
  expect(said(told)).toEqual(['web-server-01: stopped → active']);
});

it('a change noted before a look is taken into the last look: only what happened after it is told', async () => {
  const store = new MemoryStore();
  const { watch, told } = watchWithSink(store);
  await watch.look();
  sim.setStatus(12346, 'stopped');
  await store.noteOwnChange(12346, { name: 'db-server-01', status: 'stopped' });
  sim.removeServer(12347);
  await store.noteOwnChange(12347, undefined);
  sim.setStatus(12345, 'stopped'); // behind the bot's back
  await watch.look();
  expect(said(told)).toEqual(['web-server-01: active → stopped']);
});
