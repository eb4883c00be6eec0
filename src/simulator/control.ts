import type { HoldRule } from './holds.js';
import { type Body, detail, invalidJson, methodNotAllowed, NOT_FOUND } from './http.js';
import { findOs, findPlan } from './seed.js';
import type { Simulator } from './simulator.js';
import type { FaultRule, Reply, SimServer } from './types.js';

/**
 * Control routes, for a simulator running in another process. No bearer token: they are for the developer
 * or the test harness on this machine, never for the bot. Each maps to one method of Simulator.
 */
export const CONTROL_PREFIX = '/_sim';

const ROUTES = [
  'POST /_sim/reset',
  'GET /_sim/servers',
  'POST /_sim/servers  {fields} or {count, ...fields}',
  'GET /_sim/servers/{id}',
  'DELETE /_sim/servers/{id}',
  'POST /_sim/servers/{id}/status  {status, settleTo?, afterMs?}',
  'POST /_sim/balance  {ok}',
  'POST /_sim/latency  {ms}',
  'POST /_sim/page-size  {size}  (null: no paging)',
  'POST /_sim/faults  {method, path | pathPattern, times?, every?, status?, body?, headers?, hangMs?, reset?}',
  'POST /_sim/holds  {method, path | pathPattern, times?}  (answers wait until released)',
  'GET /_sim/holds',
  'POST /_sim/holds/{id}/release',
  'GET /_sim/requests',
  'DELETE /_sim/requests',
];

class BadInput extends Error {}

type Fields = Record<string, unknown>;

function object(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadInput('The request body must be a JSON object.');
  }
  return body as Fields;
}

function onlyKnown(fields: Fields, known: readonly string[]): void {
  const unknown = Object.keys(fields).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new BadInput(`Unknown field ${unknown.join(', ')} (known: ${known.join(', ')}).`);
}

function string(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new BadInput(`${key} must be a non-empty string.`);
  return value;
}

function nullableString(fields: Fields, key: string): string | null | undefined {
  return fields[key] === null ? null : string(fields, key);
}

function integer(fields: Fields, key: string, min: number): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new BadInput(`${key} must be an integer >= ${min}.`);
  }
  return value;
}

function number(fields: Fields, key: string): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new BadInput(`${key} must be a number >= 0.`);
  }
  return value;
}

function boolean(fields: Fields, key: string): boolean | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new BadInput(`${key} must be true or false.`);
  return value;
}

function numbers<K extends string>(value: unknown, key: string, names: readonly K[]): Record<K, number> {
  const fields = object(value);
  const out = {} as Record<K, number>;
  for (const name of names) {
    const n = number(fields, name);
    if (n === undefined) throw new BadInput(`${key}.${name} is required.`);
    out[name] = n;
  }
  return out;
}

const SERVER_FIELDS = [
  'id',
  'name',
  'hostname',
  'status',
  'ip_address',
  'ipv6_address',
  'location',
  'plan',
  'plan_id',
  'os',
  'os_id',
  'backups_enabled',
  'resource_usage',
  'created_at',
  'updated_at',
  'count',
] as const;

/** Server fields as SimServer has them; `plan_id` and `os_id` pick from the catalogue. */
function serverFields(body: unknown): Partial<SimServer> {
  const fields = object(body);
  onlyKnown(fields, SERVER_FIELDS);
  const out: Partial<SimServer> = {};
  const id = integer(fields, 'id', 1);
  if (id !== undefined) out.id = id;
  for (const key of ['name', 'hostname', 'status', 'location', 'created_at', 'updated_at'] as const) {
    const value = string(fields, key);
    if (value !== undefined) out[key] = value;
  }
  for (const key of ['ip_address', 'ipv6_address'] as const) {
    const value = nullableString(fields, key);
    if (value !== undefined) out[key] = value;
  }
  const backups = boolean(fields, 'backups_enabled');
  if (backups !== undefined) out.backups_enabled = backups;
  const planId = integer(fields, 'plan_id', 1);
  if (planId !== undefined) out.plan = findPlan(planId) ?? badInput(`plan_id: no plan with id ${planId}.`);
  if (fields.plan !== undefined) {
    const plan = object(fields.plan);
    const name = string(plan, 'name') ?? badInput('plan.name is required.');
    out.plan = {
      name,
      ...numbers(plan, 'plan', ['id', 'vcpus', 'memory', 'storage', 'bandwidth']),
    };
  }
  const osId = integer(fields, 'os_id', 1);
  if (osId !== undefined) out.os = findOs(osId) ?? badInput(`os_id: no operating system with id ${osId}.`);
  if (fields.os !== undefined) {
    const os = object(fields.os);
    const name = string(os, 'name') ?? badInput('os.name is required.');
    out.os = { name, ...numbers(os, 'os', ['id']) };
  }
  if (fields.resource_usage !== undefined) {
    out.resource_usage = numbers(fields.resource_usage, 'resource_usage', [
      'cpu_percent',
      'memory_used',
      'disk_used',
      'bandwidth_used',
    ]);
  }
  return out;
}

function badInput(message: string): never {
  throw new BadInput(message);
}

function faultRule(body: unknown): FaultRule {
  const fields = object(body);
  onlyKnown(fields, [
    'method',
    'path',
    'pathPattern',
    'times',
    'every',
    'status',
    'body',
    'headers',
    'hangMs',
    'reset',
  ]);
  const { pathPattern: _pattern, ...rest } = fields;
  // The rest of the fields are checked by Simulator.fault, as for a rule given in code.
  return { ...rest, path: rulePath(fields) } as unknown as FaultRule;
}

function holdRule(body: unknown): HoldRule {
  const fields = object(body);
  onlyKnown(fields, ['method', 'path', 'pathPattern', 'times']);
  const { pathPattern: _pattern, ...rest } = fields;
  // Checked by Simulator.hold, as for a rule given in code.
  return { ...rest, path: rulePath(fields) } as unknown as HoldRule;
}

/** A rule's `path` (a pathname) or `pathPattern` (a regular expression). */
function rulePath(fields: Fields): string | RegExp {
  const path = string(fields, 'path');
  const { pathPattern } = fields;
  if (pathPattern === undefined) {
    return path ?? badInput('path (a pathname) or pathPattern (a regular expression) is required.');
  }
  if (path !== undefined) throw new BadInput('Give either path or pathPattern, not both.');
  if (typeof pathPattern !== 'string') throw new BadInput('pathPattern must be a string.');
  try {
    return new RegExp(pathPattern);
  } catch {
    throw new BadInput(`pathPattern is not a valid regular expression: ${pathPattern}`);
  }
}

const SERVER = /^\/_sim\/servers\/(\d+)$/;
const HOLD_RELEASE = /^\/_sim\/holds\/(\d+)\/release$/;
const SERVER_STATUS = /^\/_sim\/servers\/(\d+)\/status$/;

export function handleControl(sim: Simulator, method: string, url: URL, body: Body): Reply {
  const bad = invalidJson(body);
  if (bad) return bad;
  const value = body.kind === 'json' ? body.value : undefined;
  try {
    return route(sim, method, url.pathname.replace(/\/+$/, '') || '/', value);
  } catch (error) {
    // Simulator's own checks throw plain Errors naming the bad input.
    if (error instanceof Error) return detail(400, error.message);
    throw error;
  }
}

function route(sim: Simulator, method: string, path: string, body: unknown): Reply {
  const only = (allowed: string, answer: () => Reply): Reply =>
    method === allowed ? answer() : methodNotAllowed(method, [allowed]);

  switch (path) {
    case CONTROL_PREFIX:
      return only('GET', () => ({ status: 200, body: { routes: ROUTES } }));
    case '/_sim/reset':
      return only('POST', () => {
        sim.reset();
        return { status: 204 };
      });
    case '/_sim/servers':
      if (method === 'GET') {
        const servers = sim.servers();
        return { status: 200, body: { count: servers.length, results: servers } };
      }
      if (method === 'POST') return addServers(sim, body);
      return methodNotAllowed(method, ['GET', 'POST']);
    case '/_sim/balance':
      return only('POST', () => {
        const ok = boolean(object(body), 'ok') ?? badInput('ok (true or false) is required.');
        sim.setBalance(ok);
        return { status: 200, body: { ok } };
      });
    case '/_sim/latency':
      return only('POST', () => {
        const ms = number(object(body), 'ms') ?? badInput('ms (milliseconds) is required.');
        sim.setLatency(ms);
        return { status: 200, body: { ms } };
      });
    case '/_sim/page-size':
      return only('POST', () => {
        const fields = object(body);
        const size =
          fields.size === null ? undefined : (integer(fields, 'size', 1) ?? badInput('size is required.'));
        sim.setPageSize(size);
        return { status: 200, body: { size: size ?? null } };
      });
    case '/_sim/faults':
      return only('POST', () => {
        sim.fault(faultRule(body));
        return { status: 201, body: { queued: true } };
      });
    case '/_sim/holds':
      if (method === 'GET') {
        const holds = sim.holds().map((hold) => hold.summary());
        return { status: 200, body: { count: holds.length, results: holds } };
      }
      if (method === 'POST') return { status: 201, body: sim.hold(holdRule(body)).summary() };
      return methodNotAllowed(method, ['GET', 'POST']);
    case '/_sim/requests':
      if (method === 'GET')
        return { status: 200, body: { count: sim.requests.length, results: sim.requests } };
      if (method === 'DELETE') {
        sim.clearRequests();
        return { status: 204 };
      }
      return methodNotAllowed(method, ['GET', 'DELETE']);
  }

  const one = SERVER.exec(path);
  if (one) {
    const id = Number(one[1]);
    if (method === 'GET') {
      const server = sim.server(id);
      return server ? { status: 200, body: server } : NOT_FOUND;
    }
    if (method === 'DELETE') {
      if (!sim.server(id)) return NOT_FOUND;
      sim.removeServer(id);
      return { status: 204 };
    }
    return methodNotAllowed(method, ['GET', 'DELETE']);
  }

  const release = HOLD_RELEASE.exec(path);
  if (release) {
    return only('POST', () => {
      const hold = sim.holds().find((candidate) => candidate.id === Number(release[1]));
      if (!hold) return NOT_FOUND;
      return { status: 200, body: { id: hold.id, released: hold.release() } };
    });
  }

  const status = SERVER_STATUS.exec(path);
  if (status) {
    return only('POST', () => {
      const id = Number(status[1]);
      if (!sim.server(id)) return NOT_FOUND;
      const fields = object(body);
      onlyKnown(fields, ['status', 'settleTo', 'afterMs']);
      const to = string(fields, 'status') ?? badInput('status is required.');
      const settleTo = string(fields, 'settleTo');
      const afterMs = number(fields, 'afterMs');
      if (afterMs !== undefined && settleTo === undefined) badInput('afterMs needs settleTo.');
      sim.setStatus(id, to, settleTo ? { to: settleTo, afterMs: afterMs ?? sim.settleMs } : undefined);
      return { status: 200, body: sim.server(id) };
    });
  }

  return NOT_FOUND;
}

function addServers(sim: Simulator, body: unknown): Reply {
  const fields = object(body);
  if (fields.count !== undefined) {
    const count = integer(fields, 'count', 0) ?? 0;
    if (count > 100_000) badInput('count must be at most 100000.');
    const { count: _count, ...rest } = fields;
    const added = sim.addServers(count, serverFields(rest));
    return { status: 201, body: { count: added.length, results: added } };
  }
  const server = serverFields(fields);
  const name = server.name ?? badInput('name is required (or count, to add servers in bulk).');
  return { status: 201, body: sim.addServer({ ...server, name }) };
}
