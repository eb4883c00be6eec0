import type { SimOs, SimPlan, SimServer } from './types.js';

export const PLANS: readonly SimPlan[] = [
  { id: 1, name: 'Standard VPS', vcpus: 2, memory: 4096, storage: 80, bandwidth: 2048 },
  { id: 2, name: 'Performance VPS', vcpus: 4, memory: 8192, storage: 160, bandwidth: 4096 },
  { id: 3, name: 'Starter VPS', vcpus: 1, memory: 2048, storage: 40, bandwidth: 1024 },
];

export const OSES: readonly SimOs[] = [
  { id: 5, name: 'Ubuntu 22.04 LTS' },
  { id: 3, name: 'Debian 12' },
  { id: 7, name: 'Rocky Linux 9' },
];

export const LOCATIONS: readonly string[] = ['us-west', 'us-east', 'eu-central'];

export function findPlan(id: number): SimPlan | undefined {
  const plan = PLANS.find((p) => p.id === id);
  return plan && { ...plan };
}

export function findOs(id: number): SimOs | undefined {
  const os = OSES.find((o) => o.id === id);
  return os && { ...os };
}

function plan(id: number): SimPlan {
  const found = findPlan(id);
  if (!found) throw new Error(`seed: no plan ${id}`);
  return found;
}

function os(id: number): SimOs {
  const found = findOs(id);
  if (!found) throw new Error(`seed: no os ${id}`);
  return found;
}

/**
 * The two servers of the documented examples, plus a stopped one so that start has something to do.
 * 12345 keeps the documented detail values (IPv6, backups, resource usage); the timestamps are the list example's.
 */
export function seedServers(): SimServer[] {
  return [
    {
      id: 12345,
      name: 'web-server-01',
      hostname: 'web01.example.com',
      status: 'active',
      ip_address: '203.0.113.10',
      ipv6_address: '2001:0db8::1',
      location: 'us-west',
      plan: plan(1),
      os: os(5),
      backups_enabled: true,
      resource_usage: { cpu_percent: 23.5, memory_used: 2048, disk_used: 35, bandwidth_used: 450 },
      created_at: '2025-01-10T14:30:00Z',
      updated_at: '2025-01-15T10:20:00Z',
    },
    {
      id: 12346,
      name: 'db-server-01',
      hostname: 'db01.example.com',
      status: 'active',
      ip_address: '203.0.113.11',
      ipv6_address: '2001:0db8::2',
      location: 'us-east',
      plan: plan(2),
      os: os(3),
      backups_enabled: true,
      created_at: '2025-01-12T09:15:00Z',
      updated_at: '2025-01-16T08:45:00Z',
    },
    {
      id: 12347,
      name: 'staging-01',
      hostname: 'staging01.example.com',
      status: 'stopped',
      ip_address: '203.0.113.12',
      ipv6_address: '2001:0db8::3',
      location: 'eu-central',
      plan: plan(3),
      os: os(7),
      backups_enabled: false,
      created_at: '2025-01-14T11:00:00Z',
      updated_at: '2025-01-17T18:05:00Z',
    },
  ];
}
