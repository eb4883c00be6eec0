import { describe, expect, it } from 'vitest';
import type { Approval, Schedule } from '../../src/pending-records.js';
import type { AuditEntry, TrackedChange } from '../../src/records.js';
import { limitViolations } from '../../src/slack/blocks/check.js';
import { HOME_PAGE_SIZE, type HomeData, homeView } from '../../src/slack/blocks/home.js';
import { approvalMessage, scheduledMessage } from '../../src/slack/blocks/plans.js';
import { BARE_AMPERSAND, HOSTILE, makeListServer, mrkdwnTexts } from './helpers.js';

const NOW = Date.UTC(2026, 10, 30, 9, 0);
const STATUSES = ['active', 'stopped', 'starting', 'stopping', 'rebooting', 'provisioning', 'suspended'];

function fleet(count: number) {
  return Array.from({ length: count }, (_, i) =>
    makeListServer({
      id: 10_000 + i,
      // One in ten has a long name full of what mrkdwn must not see raw.
      name:
        i % 10 === 0 ? `<!channel>&<@U0EVIL>-${'x'.repeat(40)}-${i}` : `srv-${String(i).padStart(5, '0')}`,
      hostname: i % 10 === 0 ? `${'h'.repeat(60)}.<http://evil|click>.example.com` : `srv-${i}.example.com`,
      status: STATUSES[i % STATUSES.length] as string,
      location: `loc-${i % 37}`,
      updated_at: new Date(NOW - 90_000).toISOString(),
    }),
  );
}

function data(count: number, extra: Partial<HomeData> = {}): HomeData {
  const following: TrackedChange[] = Array.from({ length: Math.min(count, 30) }, (_, i) => ({
    // The servers in `starting` (every seventh, from the third).
    serverId: 10_002 + i * 7,
    serverName: `srv-${2 + i * 7}`,
    action: 'start',
    actor: { userId: 'U0ALICE' },
    startedAt: NOW - 65_000,
    status: 'starting',
  }));
  const recent: AuditEntry[] = Array.from({ length: 20 }, (_, i) => ({
    time: new Date(NOW - i * 1000).toISOString(),
    user: 'U0BOB',
    action: 'stop',
    serverId: 10_000 + i,
    serverName: `<!here>-${i}`,
    params: {},
    outcome: i % 2 ? 'ok' : 'rejected',
    approvedBy: i % 2 ? 'U0CAROL' : undefined,
  }));
  const schedules: Schedule[] = Array.from({ length: 25 }, (_, i) => ({
    id: `s${i}`,
    action: 'stop',
    serverId: 10_000 + i,
    serverName: `<!channel>-${i}`,
    at: NOW + (i + 1) * 60_000,
    zone: 'Europe/Berlin',
    by: { userId: 'U0ALICE', channelId: 'C0GENERAL' },
    createdAt: NOW,
    state: 'pending',
  }));
  const approvals: Approval[] = Array.from({ length: 7 }, (_, i) => ({
    id: `a${i}`,
    request: { action: 'delete', serverId: 10_000 + i },
    requester: { userId: 'U0ALICE', channelId: 'C0GENERAL' },
    server: { id: 10_000 + i, name: `<@U0EVIL>-${i}`, status: 'active', updatedAt: '2025-01-15T10:20:00Z' },
    createdAt: NOW,
    expiresAt: NOW + 1_800_000,
  }));
  return {
    userId: 'U0BOB',
    operator: true,
    everyone: false,
    servers: fleet(count),
    following: count === 0 ? [] : following,
    recent,
    schedules,
    approvals,
    page: 1,
    now: NOW,
    ...extra,
  };
}

describe('homeView: within Slack’s limits for any fleet', () => {
  it.each([0, 3, 200, 10_000])('%d servers: every page within limits, nothing unescaped', (count) => {
    const pages = Math.max(1, Math.ceil(count / HOME_PAGE_SIZE));
    for (const page of [1, 2, Math.ceil(pages / 2), pages]) {
      const view = homeView(data(count, { page }));
      expect(limitViolations(view)).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      for (const text of mrkdwnTexts(view)) {
        for (const hostile of HOSTILE) expect(text).not.toContain(hostile);
        expect(text).not.toMatch(BARE_AMPERSAND);
      }
    }
  });

  it('counts the whole fleet by status and by location, and says what it leaves out', () => {
    const view = homeView(data(10_000));
    const text = JSON.stringify(view);
    expect(text).toContain('*Fleet*: 10000 servers');
    expect(text).toMatch(/:large_green_circle: active 1429/);
    expect(text).toContain('and 25 more locations');
    expect(text).toContain('page 1 of 667');
    expect(text).toMatch(/…and \d+ more: `\/vps list` shows them all/);
    expect(text).toContain('…and 4 more, in the channels they were asked in');
    expect(text).toContain('…and 17 more later.');
  });

  it('a fleet with any number of statuses (VPS.org may send new ones) still shows every location count', () => {
    const servers = fleet(5000).map((server, i) => ({ ...server, status: `weird-status-${i}` }));
    const view = homeView(data(5000, { servers }));
    expect(limitViolations(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain('and 4988 more statuses (4988 servers)');
    expect(text).toContain('*By location:* `loc-0`');
    expect(text).toContain('and 25 more locations');
  });

  it('pages the servers with Previous and Next, clamping the page', () => {
    const ids = (page: number) =>
      homeView(data(40, { page })).blocks.flatMap((b) =>
        'accessory' in b && b.accessory && 'value' in b.accessory ? [b.accessory.value] : [],
      );
    expect(ids(1)).toHaveLength(HOME_PAGE_SIZE);
    expect(ids(3)).toHaveLength(40 - 2 * HOME_PAGE_SIZE);
    expect(ids(99)).toEqual(ids(3));
    const nav = homeView(data(40, { page: 2 })).blocks.find((b) => b.block_id === 'home.nav');
    expect(JSON.stringify(nav)).toContain('vps.home.page.previous');
    expect(JSON.stringify(nav)).toContain('vps.home.page.next');
  });

  it('shows an operator the cards’ power buttons, and a non-operator none, nor approvals', () => {
    const operator = JSON.stringify(homeView(data(3)));
    expect(operator).toContain('"action_id":"vps.stop"');
    expect(operator).toContain('"action_id":"vps.approve"');
    expect(operator).toContain('You are an operator');
    const web = homeView(data(3)).blocks.filter((b) => JSON.stringify(b).includes('"value":"10000"'));
    const named = web.flatMap((b) => {
      const elements = 'elements' in b ? b.elements : 'accessory' in b && b.accessory ? [b.accessory] : [];
      return elements.map((e) => ('accessibility_label' in e ? e.accessibility_label : undefined));
    });
    // A screen reader hears which server each button acts on (plain text: no escaping).
    const name = `<!channel>&<@U0EVIL>-${'x'.repeat(40)}-0`;
    expect(named).toEqual([`Show ${name}`, `Stop ${name}`, `Reboot ${name}`]);
    const looker = JSON.stringify(homeView(data(3, { operator: false, approvals: [] })));
    expect(looker).not.toContain('"action_id":"vps.stop"');
    expect(looker).not.toContain('vps.approve');
    expect(looker).toContain('You may look; changing servers is for operators.');
  });

  it('says VPS.org could not be read instead of a fleet, and still shows the rest', () => {
    const view = homeView(data(0, { servers: undefined, fleetProblem: 'VPS.org is down <now>.' }));
    const text = JSON.stringify(view);
    expect(text).toContain('VPS.org could not be read just now. VPS.org is down &lt;now&gt;.');
    expect(text).toContain('*Last changes*');
    expect(limitViolations(view)).toEqual([]);
  });
});

describe('approval and schedule messages', () => {
  it('an approval request names requester, server, action and parameters, with Approve and Reject', () => {
    const approval: Approval = {
      id: 'a1',
      request: { action: 'rename', serverId: 12345, name: '<!channel>' },
      requester: { userId: 'U0ALICE' },
      server: { id: 12345, name: 'web-server-01', status: 'active', updatedAt: 'x' },
      createdAt: NOW,
      expiresAt: NOW + 1_800_000,
    };
    const message = approvalMessage(approval, NOW);
    expect(limitViolations(message)).toEqual([]);
    const text = JSON.stringify(message);
    expect(text).toContain('<@U0ALICE> asks for a second operator');
    expect(text).toContain('rename *web-server-01*');
    expect(text).toContain('New name: *&lt;!channel&gt;*');
    expect(text).toContain('vps.approve');
    const decided = JSON.stringify(
      approvalMessage({ ...approval, decision: { verdict: 'approved', by: 'U0BOB', at: NOW } }, NOW),
    );
    expect(decided).toContain('Approved by <@U0BOB>');
    expect(decided).not.toContain('vps.approve');
    expect(JSON.stringify(approvalMessage(approval, NOW + 1_800_000))).toContain('Expired');
  });

  it('/vps scheduled lists every pending schedule with Cancel, within limits, saying what it leaves out', () => {
    const many = data(3).schedules.concat(
      Array.from({ length: 30 }, (_, i) => ({ ...(data(3).schedules[0] as Schedule), id: `extra${i}` })),
    );
    const message = scheduledMessage(many, NOW);
    expect(limitViolations(message)).toEqual([]);
    expect(JSON.stringify(message)).toContain('…and 15 more later');
    expect(JSON.stringify(scheduledMessage([], NOW))).toContain('Nothing is scheduled');
  });
});
