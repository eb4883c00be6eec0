import fc from 'fast-check';
import type { AuditEntry, FleetNotice } from '../../src/records.js';
import { type Server, serverSchema } from '../../src/vps/schemas.js';

/** What Slack or an API could carry to make mrkdwn ping, link or mislead; and plain oddities. */
export const HOSTILE_PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123>',
  '<!date^1^{date}|x>',
  '<@U123>',
  '<@W0EVIL|evil>',
  '<#C1>',
  '<#C1|general>',
  '<http://evil|x>',
  '<https://evil.example/a?b=c&d=e>',
  '<mailto:a@evil.example|mail>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&',
  '<',
  '>',
  '|',
  '*',
  '_',
  '~',
  '`',
  '```',
  '\n',
  '\t',
  ' ',
  '\u0000',
  '\u202e',
  '😀',
  '👩‍👩‍👧',
  'é',
  '\ud800',
] as const;

const piece = fc.oneof(
  fc.constantFrom(...HOSTILE_PIECES),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

/** A string from hostile pieces: usually short, sometimes far past every limit Slack has. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.array(piece, { maxLength: 200 }).map((parts) => parts.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 100, maxLength: 2500 })
      .map((parts) => parts.join('')),
  },
);

const nonEmpty = hostileText.filter((text) => text.length > 0);
const amount = fc.double({ min: 0, max: 1e15, noNaN: true, noDefaultInfinity: true });
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const isoTime = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());

export const STATUSES = [
  'active',
  'stopped',
  'suspended',
  'provisioning',
  'starting',
  'stopping',
  'rebooting',
] as const;
const status = fc.oneof(fc.constantFrom(...STATUSES), nonEmpty);

/** Servers VPS.org could answer: anything its schema lets through, every status including unknown ones. */
export const server: fc.Arbitrary<Server> = fc
  .record(
    {
      id,
      name: hostileText,
      hostname: fc.option(hostileText, { nil: null }),
      status,
      ip_address: fc.option(hostileText, { nil: null }),
      ipv6_address: fc.option(hostileText, { nil: null }),
      location: hostileText,
      plan: fc.record(
        { id, name: hostileText, vcpus: amount, memory: amount, storage: amount, bandwidth: amount },
        { requiredKeys: ['id', 'name', 'vcpus', 'memory', 'storage'] },
      ),
      os: fc.record({ id, name: hostileText }),
      backups_enabled: fc.boolean(),
      resource_usage: fc.option(
        fc.record({ cpu_percent: amount, memory_used: amount, disk_used: amount, bandwidth_used: amount }),
        { nil: null },
      ),
      created_at: fc.oneof(isoTime, hostileText),
      updated_at: fc.oneof(isoTime, hostileText),
    },
    {
      requiredKeys: ['id', 'name', 'status', 'location', 'plan', 'os', 'created_at', 'updated_at'],
    },
  )
  .map((raw) => serverSchema.parse(raw));

/** Slack user IDs as Slack sends them, and strings that only look like one. */
export const userId = fc.oneof(
  fc.stringMatching(/^[UW][A-Z0-9]{2,10}$/),
  hostileText.filter((text) => text.length > 0),
);

const at = fc.integer({ min: 0, max: 4_102_444_800_000 });

/** Notices the fleet watch could decide, about any server VPS.org could answer. */
export const fleetNotice: fc.Arbitrary<FleetNotice> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('appeared' as const, 'disappeared' as const),
    serverId: id,
    name: hostileText,
    status,
    at,
  }),
  fc.record({
    kind: fc.constant('status' as const),
    serverId: id,
    name: hostileText,
    from: status,
    to: status,
    at,
  }),
  fc
    .record({
      kind: fc.constant('flapping' as const),
      serverId: id,
      name: hostileText,
      status,
      changes: fc.integer({ min: 4, max: 10_000 }),
      since: at,
      at,
      steady: fc.boolean(),
    })
    .map((notice) => ({ ...notice, since: Math.min(notice.since, notice.at) })),
);

const ACTIONS = [
  'start',
  'stop',
  'reboot',
  'delete',
  'rename',
  'hostname',
  'backups',
  'edit',
  'create',
  'subscribe',
  'unsubscribe',
] as const;
const OUTCOMES = [
  'ok',
  'forbidden',
  'confirmation_requested',
  'cancelled',
  'expired',
  'already_used',
  'wrong_user',
  'changed_meanwhile',
  'nothing_to_do',
  'busy',
  'outcome_unknown',
  'unavailable',
] as const;

/** Entries of the audit trail: what people typed (refusals keep the name as typed) and VPS.org said. */
export const auditEntry: fc.Arbitrary<AuditEntry> = fc.record(
  {
    time: isoTime,
    user: userId,
    team: fc.string(),
    channel: fc.string(),
    action: fc.constantFrom(...ACTIONS),
    serverId: id,
    serverName: hostileText,
    params: fc.dictionary(hostileText, fc.oneof(hostileText, fc.boolean(), fc.integer()), { maxKeys: 3 }),
    outcome: fc.oneof(fc.constantFrom(...OUTCOMES), hostileText),
  },
  { requiredKeys: ['time', 'user', 'action', 'params', 'outcome'] },
);
