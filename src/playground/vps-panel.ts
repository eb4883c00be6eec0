import { z } from 'zod';
import type { SimServer, Simulator } from '../simulator/index.js';
import type { Failing, ServerRow, VpsControl, VpsPanelState } from './protocol.js';

/** Long enough for the bot to give up first (the playground's VPS.org timeout is 5 s). */
const HANG_MS = 120_000;
const MAX_ADDED = 500;

/** Where a server caught mid-transition by a restart settles. */
const SETTLES_TO: Record<string, string> = {
  starting: 'active',
  stopping: 'stopped',
  rebooting: 'active',
  provisioning: 'active',
};

export interface VpsSnapshot {
  version: 1;
  servers: SimServer[];
  balanceOk: boolean;
}

// Checked as far as restoring needs: the simulator fills in whatever else a saved server lacks.
const savedServer = z
  .looseObject({ id: z.number().int().positive(), name: z.string(), status: z.string() })
  .transform((server) => server as unknown as SimServer);

export const vpsSnapshotSchema: z.ZodType<VpsSnapshot> = z.object({
  version: z.literal(1),
  servers: z.array(savedServer),
  balanceOk: z.boolean(),
});

export class ControlError extends Error {}

/** The VPS.org panel: the simulator's fleet as a person sees it, and the levers behind the bot's back. */
export class VpsPanel {
  #balanceOk = true;
  #failing: Failing = 'none';

  constructor(private readonly sim: Simulator) {}

  state(): VpsPanelState {
    return {
      kind: 'simulator',
      servers: this.sim
        .servers()
        .map((s): ServerRow => ({ id: s.id, name: s.name, status: s.status, location: s.location })),
      balanceOk: this.#balanceOk,
      failing: this.#failing,
    };
  }

  apply(control: VpsControl): void {
    switch (control.action) {
      case 'status':
        if (!this.sim.server(control.id)) throw new ControlError(`There is no server ${control.id}.`);
        this.sim.setStatus(control.id, control.status);
        return;
      case 'failing':
        this.#fail(control.mode);
        return;
      case 'balance':
        this.sim.setBalance(control.ok);
        this.#balanceOk = control.ok;
        return;
      case 'add':
        this.#add(control.count);
        return;
      case 'add-named':
        this.sim.addServer({ name: control.name });
        return;
      case 'reset':
        this.sim.reset();
        this.#balanceOk = true;
        this.#failing = 'none';
        return;
    }
  }

  snapshot(): VpsSnapshot {
    return { version: 1, servers: this.sim.servers(), balanceOk: this.#balanceOk };
  }

  /** The fleet as it was; a server caught mid-transition settles as it would have. */
  restore(snapshot: VpsSnapshot): void {
    for (const server of this.sim.servers()) this.sim.removeServer(server.id);
    for (const server of snapshot.servers) {
      this.sim.addServer(server);
      const to = SETTLES_TO[server.status];
      if (to !== undefined) this.sim.setStatus(server.id, server.status, { to, afterMs: this.sim.settleMs });
    }
    this.sim.setBalance(snapshot.balanceOk);
    this.#balanceOk = snapshot.balanceOk;
  }

  #fail(mode: Failing): void {
    this.sim.clearFaults();
    this.#failing = mode;
    if (mode === 'none') return;
    // Every API path, for as long as the switch is on: the fleet watch's polls would eat a short rule.
    const every = { method: '*', path: /^\//, times: Number.MAX_SAFE_INTEGER };
    this.sim.fault(
      mode === 'errors'
        ? { ...every, status: 503, body: { detail: 'Service unavailable (the playground panel says so).' } }
        : { ...every, hangMs: HANG_MS },
    );
  }

  #add(count: number): void {
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_ADDED) {
      throw new ControlError(`Add from 1 to ${MAX_ADDED} servers at a time.`);
    }
    const taken = new Set(this.sim.servers().map((s) => s.name));
    let n = 1;
    for (let added = 0; added < count; n += 1) {
      const name = `app-${String(n).padStart(3, '0')}`;
      if (taken.has(name)) continue;
      this.sim.addServer({ name });
      added += 1;
    }
  }
}
