import { findOs, findPlan } from './seed.js';
import type { ResourceUsage, SimListItem, SimPlan, SimServer } from './types.js';
import type { CreateInput, UpdateInput } from './validate.js';

export interface Timing {
  settleMs: number;
  provisionMs: number;
}

export interface Transition {
  to: string;
  at: number;
}

export type PowerAction = 'start' | 'stop' | 'reboot';

export type PowerResult = { ok: true; server: SimServer } | { ok: false; detail: string };

export interface ListFilter {
  status?: string;
  location?: string;
}

interface Entry {
  server: Omit<SimServer, 'resource_usage'>;
  /** Fixed usage figures (the documented ones, or given to addServer) instead of the derived ones. */
  usage?: ResourceUsage;
  pending?: Transition;
}

const POWER: Record<PowerAction, { from: string; via: string; to: string }> = {
  start: { from: 'stopped', via: 'starting', to: 'active' },
  stop: { from: 'active', via: 'stopping', to: 'stopped' },
  reboot: { from: 'active', via: 'rebooting', to: 'active' },
};

const IDLE = new Set(['stopped', 'suspended']);

/** New servers get 203.0.113.10 and up, like the documented ones (taken addresses are skipped). */
const FIRST_ADDRESS = 10;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Documentation ranges first, then the shared address space, which holds millions of bulk servers. */
function ipv4(n: number): string {
  if (n <= 254) return `203.0.113.${n}`;
  if (n <= 508) return `198.51.100.${n - 254}`;
  const k = n - 508;
  return `100.${64 + ((k >> 16) & 63)}.${(k >> 8) & 255}.${k & 255}`;
}

/** A small deterministic generator, so that a server's usage is the same on every read. */
function fractions(id: number): () => number {
  let state = (id * 2654435761) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function derivedUsage(id: number, plan: SimPlan): ResourceUsage {
  const next = fractions(id);
  return {
    cpu_percent: Math.round((2 + next() * 70) * 10) / 10,
    memory_used: Math.round(plan.memory * (0.15 + next() * 0.7)),
    disk_used: Math.round(plan.storage * (0.1 + next() * 0.75)),
    bandwidth_used: Math.round(plan.bandwidth * (0.02 + next() * 0.6)),
  };
}

/** The shape of one item of `GET /servers/`: fewer fields than the detail view. */
export function listItem(server: SimServer): SimListItem {
  const { plan } = server;
  return {
    id: server.id,
    name: server.name,
    hostname: server.hostname,
    status: server.status,
    ip_address: server.ip_address,
    location: server.location,
    plan: { id: plan.id, name: plan.name, vcpus: plan.vcpus, memory: plan.memory, storage: plan.storage },
    os: { id: server.os.id, name: server.os.name },
    created_at: server.created_at,
    updated_at: server.updated_at,
  };
}

/**
 * The in-memory fleet. Transitions settle lazily: a server holds its pending transition and every read
 * settles what is due, so there are no timers to leak and a test controls time through the delays alone.
 */
export class Fleet {
  private readonly entries = new Map<number, Entry>();
  private readonly pending = new Set<Entry>();
  private readonly usedIps = new Set<string>();
  private order: number[] | undefined;
  private nextId = 1;
  private nextAddress = FIRST_ADDRESS;

  constructor(
    private readonly timing: Timing,
    private readonly clock: () => number = Date.now,
  ) {}

  load(servers: readonly SimServer[]): void {
    this.entries.clear();
    this.pending.clear();
    this.usedIps.clear();
    this.order = undefined;
    this.nextId = 1;
    this.nextAddress = FIRST_ADDRESS;
    for (const server of servers) this.add(server);
  }

  settle(now = this.clock()): void {
    for (const entry of this.pending) {
      if (entry.pending && entry.pending.at <= now) {
        this.enter(entry, entry.pending.to, entry.pending.at);
        entry.pending = undefined;
      }
      if (!entry.pending) this.pending.delete(entry);
    }
  }

  list(filter: ListFilter = {}): SimServer[] {
    this.settle();
    const out: SimServer[] = [];
    for (const id of this.sortedIds()) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      if (filter.status !== undefined && entry.server.status !== filter.status) continue;
      if (filter.location !== undefined && entry.server.location !== filter.location) continue;
      out.push(this.view(entry));
    }
    return out;
  }

  get(id: number): SimServer | undefined {
    this.settle();
    const entry = this.entries.get(id);
    return entry && this.view(entry);
  }

  create(input: CreateInput, now = this.clock()): SimServer {
    this.settle(now);
    const id = this.nextId++;
    const entry: Entry = {
      server: {
        id,
        name: input.name,
        hostname: input.hostname ?? `${input.name.toLowerCase()}.example.com`,
        status: 'provisioning',
        ip_address: null,
        ipv6_address: null,
        location: input.location,
        plan: input.plan,
        os: input.os,
        backups_enabled: input.backups_enabled,
        created_at: iso(now),
        updated_at: iso(now),
      },
    };
    this.insert(entry);
    this.schedule(entry, { to: 'active', at: now + this.timing.provisionMs });
    return this.view(entry);
  }

  update(id: number, update: UpdateInput, now = this.clock()): SimServer | undefined {
    this.settle(now);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (update.name !== undefined) entry.server.name = update.name;
    if (update.hostname !== undefined) entry.server.hostname = update.hostname;
    if (update.backups_enabled !== undefined) entry.server.backups_enabled = update.backups_enabled;
    entry.server.updated_at = iso(now);
    return this.view(entry);
  }

  remove(id: number): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.pending.delete(entry);
    this.order = undefined;
    return true;
  }

  power(id: number, action: PowerAction, now = this.clock()): PowerResult | undefined {
    this.settle(now);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const rule = POWER[action];
    const status = entry.server.status;
    if (status !== rule.from) {
      if (action === 'start') {
        return {
          ok: false,
          detail:
            status === 'active' ? 'Server is already running.' : `Server is not stopped (status: ${status}).`,
        };
      }
      return { ok: false, detail: 'Server is not running.' };
    }
    this.enter(entry, rule.via, now);
    this.schedule(entry, { to: rule.to, at: now + this.timing.settleMs });
    return { ok: true, server: this.view(entry) };
  }

  /** Adds a server as given, filling what is missing; no validation, so tests can add odd names on purpose. */
  add(fields: Partial<SimServer> & { name: string }, now = this.clock()): SimServer {
    const id = fields.id ?? this.nextId;
    if (!Number.isSafeInteger(id) || id < 1)
      throw new Error(`addServer: id must be a positive integer, got ${id}`);
    if (this.entries.has(id)) throw new Error(`addServer: a server with id ${id} already exists`);
    this.nextId = Math.max(this.nextId, id + 1);
    const status = fields.status ?? 'active';
    const plan = fields.plan ? { ...fields.plan } : findPlan(1);
    const os = fields.os ? { ...fields.os } : findOs(5);
    if (!plan || !os) throw new Error('addServer: the default plan or OS is missing from the catalogue');
    const placed = status !== 'provisioning';
    const entry: Entry = {
      server: {
        id,
        name: fields.name,
        hostname: fields.hostname ?? `${fields.name.toLowerCase()}.example.com`,
        status,
        ip_address: fields.ip_address !== undefined ? fields.ip_address : placed ? this.allocateIpv4() : null,
        ipv6_address: null,
        location: fields.location ?? 'us-west',
        plan,
        os,
        backups_enabled: fields.backups_enabled ?? false,
        created_at: fields.created_at ?? iso(now),
        updated_at: fields.updated_at ?? fields.created_at ?? iso(now),
      },
      usage: fields.resource_usage && { ...fields.resource_usage },
    };
    if (entry.server.ip_address) this.usedIps.add(entry.server.ip_address);
    entry.server.ipv6_address =
      fields.ipv6_address !== undefined
        ? fields.ipv6_address
        : placed
          ? this.ipv6For(entry.server.ip_address)
          : null;
    this.insert(entry);
    return this.view(entry);
  }

  setStatus(id: number, status: string, settle?: { to: string; afterMs: number }, now = this.clock()): void {
    this.settle(now);
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`setStatus: no server with id ${id}`);
    if (!status) throw new Error('setStatus: status must be a non-empty string');
    this.enter(entry, status, now);
    entry.pending = undefined;
    this.pending.delete(entry);
    if (settle) {
      if (!settle.to) throw new Error('setStatus: settle.to must be a non-empty string');
      if (!Number.isFinite(settle.afterMs) || settle.afterMs < 0) {
        throw new Error('setStatus: settle.afterMs must be a number of milliseconds >= 0');
      }
      this.schedule(entry, { to: settle.to, at: now + settle.afterMs });
    }
  }

  private insert(entry: Entry): void {
    this.entries.set(entry.server.id, entry);
    this.nextId = Math.max(this.nextId, entry.server.id + 1);
    this.order = undefined;
  }

  private schedule(entry: Entry, transition: Transition): void {
    entry.pending = transition;
    this.pending.add(entry);
  }

  /** A server that becomes active for the first time gets its addresses, as after provisioning. */
  private enter(entry: Entry, status: string, at: number): void {
    entry.server.status = status;
    entry.server.updated_at = iso(at);
    if (status === 'active' && entry.server.ip_address === null) {
      entry.server.ip_address = this.allocateIpv4();
      entry.server.ipv6_address ??= this.ipv6For(entry.server.ip_address);
    }
  }

  private allocateIpv4(): string {
    let ip = ipv4(this.nextAddress++);
    while (this.usedIps.has(ip)) ip = ipv4(this.nextAddress++);
    this.usedIps.add(ip);
    return ip;
  }

  private ipv6For(ip: string | null): string | null {
    if (ip === null) return null;
    const parts = ip.split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = parts;
    const high = ((a << 8) | b).toString(16);
    const low = ((c << 8) | d).toString(16);
    return `2001:0db8::${high}:${low}`;
  }

  private sortedIds(): number[] {
    this.order ??= [...this.entries.keys()].sort((x, y) => x - y);
    return this.order;
  }

  private view(entry: Entry): SimServer {
    const { server } = entry;
    const view: SimServer = { ...server, plan: { ...server.plan }, os: { ...server.os } };
    if (server.status !== 'provisioning') {
      const usage = entry.usage ? { ...entry.usage } : derivedUsage(server.id, server.plan);
      if (IDLE.has(server.status)) {
        usage.cpu_percent = 0;
        usage.memory_used = 0;
      }
      // Keep resource_usage before the timestamps, where the documentation shows it.
      const { created_at, updated_at, ...rest } = view;
      return { ...rest, resource_usage: usage, created_at, updated_at };
    }
    return view;
  }
}
