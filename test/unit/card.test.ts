import { describe, expect, it } from 'vitest';
import type { TrackedChange } from '../../src/records.js';
import { cardButtons, serverCard, serverLine } from '../../src/slack/blocks/card.js';
import { changeCard, outcomeText, stuckText } from '../../src/slack/blocks/change-card.js';
import { limitViolations } from '../../src/slack/blocks/check.js';
import type { KnownBlock } from '../../src/slack/blocks/kit.js';
import { pastTense } from '../../src/slack/blocks/sentences.js';
import { ACTION } from '../../src/slack/ids.js';
import type { Server } from '../../src/vps/schemas.js';
import { BARE_AMPERSAND, HOSTILE, makeListServer, makeServer, mrkdwnTexts } from './helpers.js';

function card(server: Server, options: Parameters<typeof serverCard>[1] = {}) {
  const blocks = serverCard(server, options);
  expect(limitViolations({ blocks })).toEqual([]);
  return blocks;
}

function actionIds(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.type === 'actions'
      ? block.elements.map((el) => ('action_id' in el ? String(el.action_id) : ''))
      : [],
  );
}

function fieldTexts(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.type === 'section' && block.fields ? block.fields.map((field) => field.text) : [],
  );
}

function fieldNamed(blocks: KnownBlock[], name: string): string | undefined {
  return fieldTexts(blocks)
    .find((text) => text.startsWith(`*${name}*\n`))
    ?.slice(name.length + 3);
}

const ALWAYS = [ACTION.refresh, ACTION.edit, ACTION.delete];

function expectEscaped(surface: unknown): void {
  const texts = mrkdwnTexts(surface);
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    for (const hostile of HOSTILE) expect(text, `raw ${hostile} in ${text}`).not.toContain(hostile);
    expect(text, `bare & in ${text}`).not.toMatch(BARE_AMPERSAND);
  }
}

const EVIL: Partial<Server> = {
  name: '<!channel> & co',
  hostname: '<http://evil|click> & <!here>',
  status: '<!channel>',
  ip_address: '<@U0EVIL>',
  ipv6_address: '<!here>&',
  location: '<http://evil|click>',
  plan: { id: 1, name: 'Plan <!channel> & more', vcpus: 2, memory: 4096, storage: 80, bandwidth: 2048 },
  os: { id: 5, name: 'OS <http://evil|click> &' },
  created_at: '<!channel>',
  updated_at: '2025-01-15T10:20:00Z & <!here>',
};

describe('serverCard: fields', () => {
  it('shows every detail of the detailed view', () => {
    const blocks = card(makeServer());
    const [head] = blocks;
    expect(head?.type === 'section' && head.text?.text).toBe(
      '*web-server-01*  ·  :large_green_circle: active',
    );
    expect(fieldNamed(blocks, 'Hostname')).toBe('web01.example.com');
    expect(fieldNamed(blocks, 'IPv4')).toBe('203.0.113.10');
    expect(fieldNamed(blocks, 'IPv6')).toBe('2001:0db8::1');
    expect(fieldNamed(blocks, 'Location')).toBe('us-west');
    expect(fieldNamed(blocks, 'Plan')).toBe('Standard VPS (2 vCPU · 4 GB RAM · 80 GB disk · 2 TB bandwidth)');
    expect(fieldNamed(blocks, 'OS')).toBe('Ubuntu 22.04 LTS');
    expect(fieldNamed(blocks, 'Backups')).toBe('on');
    expect(fieldNamed(blocks, 'ID')).toBe('12345');
    expect(fieldNamed(blocks, 'CPU')).toBe('23.5%');
    expect(fieldNamed(blocks, 'Memory')).toBe('2 GB of 4 GB');
    expect(fieldNamed(blocks, 'Disk')).toBe('35 GB of 80 GB');
    expect(fieldNamed(blocks, 'Bandwidth')).toBe('450 GB of 2 TB');
    const context = blocks.find((block) => block.type === 'context');
    const contextText = JSON.stringify(context);
    expect(contextText).toContain(`<!date^${Date.parse('2025-01-10T14:30:00Z') / 1000}^`);
    expect(contextText).toContain(`<!date^${Date.parse('2025-01-15T10:20:00Z') / 1000}^`);
  });

  it('shows backups off as off', () => {
    expect(fieldNamed(card(makeServer({ backups_enabled: false })), 'Backups')).toBe('off');
  });

  it('leaves out IPv6, backups and usage the list view does not have', () => {
    const blocks = card(makeListServer());
    expect(fieldNamed(blocks, 'IPv6')).toBeUndefined();
    expect(fieldNamed(blocks, 'Backups')).toBeUndefined();
    expect(fieldNamed(blocks, 'CPU')).toBeUndefined();
    expect(JSON.stringify(blocks)).not.toContain('Resource usage');
    expect(fieldNamed(blocks, 'Plan')).toBe('Standard VPS (2 vCPU · 4 GB RAM · 80 GB disk)');
    expect(fieldNamed(blocks, 'Hostname')).toBe('web01.example.com');
  });

  it('leaves out usage VPS.org gives as null', () => {
    const blocks = card(makeServer({ resource_usage: null }));
    expect(fieldNamed(blocks, 'CPU')).toBeUndefined();
    expect(blocks.filter((block) => block.type === 'section')).toHaveLength(1);
  });

  it('shows a dash for addresses VPS.org has not assigned yet', () => {
    const blocks = card(
      makeServer({ status: 'provisioning', ip_address: null, ipv6_address: null, hostname: null }),
    );
    expect(fieldNamed(blocks, 'IPv4')).toBe('—');
    expect(fieldNamed(blocks, 'IPv6')).toBe('—');
    expect(fieldNamed(blocks, 'Hostname')).toBe('—');
  });

  it('shows usage without a total when the plan does not say the bandwidth', () => {
    const server = makeServer();
    const { bandwidth: _bandwidth, ...plan } = server.plan;
    expect(fieldNamed(card({ ...server, plan }), 'Bandwidth')).toBe('450 GB');
  });

  it('keeps every section within 10 fields', () => {
    for (const block of card(makeServer())) {
      if (block.type === 'section') expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
    }
  });
});

describe('serverCard: buttons fit the status', () => {
  it('offers Start only when stopped', () => {
    expect(actionIds(card(makeServer({ status: 'stopped' })))).toEqual([ACTION.start, ...ALWAYS]);
  });

  it('offers Stop and Reboot only when active', () => {
    expect(actionIds(card(makeServer({ status: 'active' })))).toEqual([
      ACTION.stop,
      ACTION.reboot,
      ...ALWAYS,
    ]);
  });

  for (const status of ['provisioning', 'starting', 'stopping', 'rebooting', 'suspended', 'weird']) {
    it(`offers no power button when ${status}`, () => {
      expect(actionIds(card(makeServer({ status })))).toEqual(ALWAYS);
    });
  }

  it('offers no power button while a change is under way, and says who started it', () => {
    for (const status of ['active', 'stopped']) {
      const blocks = card(makeServer({ status }), {
        underWay: { status: 'stopping', userId: 'U123ALICE', elapsedMs: 65_000 },
      });
      expect(actionIds(blocks)).toEqual(ALWAYS);
      const text = JSON.stringify(blocks);
      expect(text).toContain('<@U123ALICE>');
      expect(text).toContain('1m 05s');
    }
  });

  it('adds Share only when shareable', () => {
    const ids = actionIds(card(makeServer(), { shareable: true }));
    expect(ids).toEqual([ACTION.stop, ACTION.reboot, ...ALWAYS, ACTION.share]);
    const share = cardButtons(makeServer(), { shareable: true }).find((b) => b.action_id === ACTION.share);
    expect(share?.value).toBe('server:12345');
  });

  it('carries the server id on every button and styles the dangerous one', () => {
    const buttons = cardButtons(makeServer({ status: 'stopped' }));
    for (const button of buttons) expect(button.value).toBe('12345');
    expect(buttons.find((b) => b.action_id === ACTION.delete)?.style).toBe('danger');
    expect(buttons.find((b) => b.action_id === ACTION.start)?.style).toBe('primary');
  });

  it('shows no buttons when asked not to', () => {
    expect(card(makeServer(), { buttons: false }).some((block) => block.type === 'actions')).toBe(false);
  });
});

describe('serverCard: API text is escaped', () => {
  it('never lets a name, hostname or any other API string ping or link', () => {
    const blocks = card(makeServer(EVIL), { shareable: true });
    expectEscaped({ blocks });
    const text = JSON.stringify(blocks);
    expect(text).toContain('&lt;!channel&gt; &amp; co');
    expect(text).toContain('&lt;http://evil|click&gt; &amp; &lt;!here&gt;');
  });

  it('escapes in the list line too', () => {
    const line = serverLine(makeServer(EVIL));
    expectEscaped({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] });
    expect(line).toContain('*&lt;!channel&gt; &amp; co*');
  });

  it('does not mention something that is not a user id', () => {
    const blocks = card(makeServer(), { underWay: { status: 'stopping', userId: '<!channel>' } });
    expectEscaped({ blocks });
  });
});

describe('serverCard: extreme but valid values fit Slack', () => {
  it('a 63-character name and a 253-character hostname', () => {
    const hostname = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const server = makeServer({ name: 'n'.repeat(63), hostname });
    const blocks = card(server, {
      shareable: true,
      underWay: { status: 'provisioning', userId: 'U1', elapsedMs: 1 },
    });
    expect(fieldNamed(blocks, 'Hostname')).toBe(hostname);
    expect(limitViolations({ text: serverLine(server), blocks })).toEqual([]);
  });

  it('API values made of nothing but characters that need escaping', () => {
    const server = makeServer({ name: '&'.repeat(63), hostname: '<'.repeat(253), location: '>'.repeat(63) });
    card(server, { shareable: true });
  });
});

describe('changeCard', () => {
  const request = { action: 'stop' as const, serverId: 12345 };
  const headline = pastTense(request, 'web-server-01', 'U123ALICE');

  it('says who did what, shows the card with no power buttons while under way', () => {
    const message = changeCard({
      headline,
      actorId: 'U123ALICE',
      serverName: 'web-server-01',
      server: makeServer({ status: 'stopping' }),
      state: { kind: 'under_way', elapsedMs: 3000 },
    });
    expect(limitViolations(message)).toEqual([]);
    expect(headline).toBe('<@U123ALICE> stopped *web-server-01*');
    expect(message.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: headline } });
    expect(actionIds(message.blocks)).toEqual(ALWAYS);
    expect(message.text).toContain('stopped web-server-01');
    expect(message.text).toContain('stopping');
  });

  it('says it settled and how long it took', () => {
    const message = changeCard({
      headline,
      actorId: 'U123ALICE',
      serverName: 'web-server-01',
      server: makeServer({ status: 'stopped' }),
      state: { kind: 'settled', tookMs: 12_000 },
    });
    expect(limitViolations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('Settled: :red_circle: stopped after 12s');
    expect(actionIds(message.blocks)).toEqual([ACTION.start, ...ALWAYS]);
  });

  it('says a stuck change is no longer followed and shows no buttons', () => {
    const message = changeCard({
      headline,
      actorId: 'U123ALICE',
      serverName: 'web-server-01',
      server: makeServer({ status: 'stopping' }),
      state: { kind: 'stuck', afterMs: 15 * 60_000 },
    });
    expect(limitViolations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('Still stopping after 15m 00s');
    expect(actionIds(message.blocks)).toEqual([]);
  });

  it('says a deleted server no longer exists', () => {
    const message = changeCard({
      headline: pastTense({ action: 'delete', serverId: 1 }, '<!channel>', 'U1'),
      actorId: 'U1',
      serverName: '<!channel>',
      server: undefined,
      state: { kind: 'settled', tookMs: 2000 },
    });
    expect(limitViolations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt;* no longer exists');
    expectEscaped(message);
  });

  it('escapes every API string, in the blocks and in the notification text', () => {
    const evil = makeServer(EVIL);
    for (const state of [
      { kind: 'under_way' as const },
      { kind: 'settled' as const, tookMs: 1 },
      { kind: 'stuck' as const, afterMs: 1 },
      { kind: 'done' as const },
    ]) {
      const message = changeCard({
        headline: pastTense({ action: 'rename', serverId: 1, name: '<!here>' }, evil.name, 'U1'),
        actorId: 'U1',
        serverName: evil.name,
        server: evil,
        state,
      });
      expect(limitViolations(message)).toEqual([]);
      expectEscaped(message);
    }
  });
});

describe('outcomeText and stuckText', () => {
  const change: TrackedChange = {
    serverId: 12345,
    serverName: 'web-server-01',
    action: 'stop',
    actor: { userId: 'U1' },
    startedAt: 1_000_000,
    status: 'stopping',
  };

  it('says the status it settled in and how long it took', () => {
    expect(outcomeText(change, makeServer({ status: 'stopped' }), 1_000_000 + 65_000)).toBe(
      ':white_check_mark: *web-server-01* is now :red_circle: stopped (took 1m 05s).',
    );
  });

  it('says the server is gone when VPS.org no longer lists it', () => {
    const text = outcomeText(change, undefined, 1_000_000 + 5000);
    expect(text).toContain('*web-server-01* is gone');
    expect(text).toContain('5s');
  });

  it('escapes names and statuses', () => {
    const evil = makeServer(EVIL);
    for (const text of [
      outcomeText({ ...change, serverName: '<!channel>' }, undefined, 2_000_000),
      outcomeText(change, evil, 2_000_000),
      stuckText(change, evil, 2_000_000),
      stuckText({ ...change, serverName: '<!here> &', status: '<!channel>' }, undefined, 2_000_000),
    ]) {
      expectEscaped({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
      expect(
        limitViolations({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }),
      ).toEqual([]);
    }
  });

  it('says a stuck server is no longer followed and how to look at it', () => {
    const text = stuckText(change, makeServer({ status: 'stopping' }), 1_000_000 + 15 * 60_000);
    expect(text).toContain('still stopping after 15m 00s');
    expect(text).toContain('/vps show web-server-01');
  });
});

describe('a status VPS.org may send one day', () => {
  it('is shown as it is with a question mark, even when it is a name every object inherits', () => {
    for (const status of ['constructor', 'toString', '__proto__', 'hibernating']) {
      const text = mrkdwnTexts(card(makeServer({ status }))).join('\n');
      expect(text, status).toContain(`:grey_question: ${status}`);
      expect(text, status).not.toContain('native code');
    }
  });
});
