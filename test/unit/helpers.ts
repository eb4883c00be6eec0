import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createLogger, type Logger } from '../../src/log.js';
import { Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { VpsClient } from '../../src/vps/client.js';
import type { Server } from '../../src/vps/schemas.js';

/** A server in the detailed shape of `GET /servers/{id}/`, as the documented example. */
export function makeServer(overrides: Partial<Server> = {}): Server {
  return {
    id: 12345,
    name: 'web-server-01',
    hostname: 'web01.example.com',
    status: 'active',
    ip_address: '203.0.113.10',
    ipv6_address: '2001:0db8::1',
    location: 'us-west',
    plan: { id: 1, name: 'Standard VPS', vcpus: 2, memory: 4096, storage: 80, bandwidth: 2048 },
    os: { id: 5, name: 'Ubuntu 22.04 LTS' },
    backups_enabled: true,
    resource_usage: { cpu_percent: 23.5, memory_used: 2048, disk_used: 35, bandwidth_used: 450 },
    created_at: '2025-01-10T14:30:00Z',
    updated_at: '2025-01-15T10:20:00Z',
    ...overrides,
  };
}

/** A server as `GET /servers/` shows it: no IPv6, backups, usage or plan bandwidth. */
export function makeListServer(overrides: Partial<Server> = {}): Server {
  const {
    ipv6_address: _ipv6,
    backups_enabled: _backups,
    resource_usage: _usage,
    ...rest
  } = makeServer(overrides);
  const { bandwidth: _bandwidth, ...plan } = rest.plan;
  return { ...rest, plan };
}

/** A real pino logger whose JSON lines land in an array. */
export function collectLogger(): {
  logger: Logger;
  lines: string[];
  records: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [], write: (line) => lines.push(line) });
  const records = () =>
    lines
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

/**
 * Every piece of text Slack reads as mrkdwn: `{type: 'mrkdwn', text}` objects anywhere, and a message's
 * top-level `text` (the notification fallback, which Slack also parses for mentions and links).
 */
export function mrkdwnTexts(surface: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.type === 'mrkdwn' && typeof record.text === 'string') found.push(record.text);
    for (const child of Object.values(record)) walk(child);
  };
  walk(surface);
  if (
    typeof surface === 'object' &&
    surface !== null &&
    typeof (surface as { text?: unknown }).text === 'string'
  ) {
    found.push((surface as { text: string }).text);
  }
  return found;
}

/** Control sequences that must never reach mrkdwn from an API value. */
export const HOSTILE = ['<!channel>', '<!here>', '<http://evil', '|click>', '<@U0EVIL>'];

/** `&` not part of an escape: what escaping `&` must have turned into `&amp;`. */
export const BARE_AMPERSAND = /&(?!amp;|lt;|gt;)/;

/**
 * A simulator on loopback and a VPS.org client pointed at it, started before the file's tests,
 * closed after them, reset before each.
 */
export function useSimulator(options: SimulatorOptions = { settleMs: 30, provisionMs: 30 }): {
  sim: Simulator;
  vps: () => VpsClient;
} {
  const sim = new Simulator(options);
  let vps: VpsClient | undefined;
  beforeAll(async () => {
    await sim.listen();
    vps = new VpsClient({
      baseUrl: sim.baseUrl,
      token: sim.token,
      timeoutMs: 2000,
      retry: { delayMs: () => 1 },
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());
  return {
    sim,
    vps: () => {
      if (!vps) throw new Error('useSimulator: the simulator is not started yet');
      return vps;
    },
  };
}
