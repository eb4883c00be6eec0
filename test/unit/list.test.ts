import { describe, expect, it } from 'vitest';
import { limitViolations } from '../../src/slack/blocks/check.js';
import type { KnownBlock, SlackMessage } from '../../src/slack/blocks/kit.js';
import {
  decodeListRef,
  encodeListRef,
  LIST_PAGE_SIZE,
  listMessage,
  listPages,
} from '../../src/slack/blocks/list.js';
import { ACTION } from '../../src/slack/ids.js';
import type { Server } from '../../src/vps/schemas.js';
import { BARE_AMPERSAND, HOSTILE, makeListServer, mrkdwnTexts } from './helpers.js';

function fleet(count: number, overrides: (i: number) => Partial<Server> = () => ({})): Server[] {
  return Array.from({ length: count }, (_, i) =>
    makeListServer({ id: i + 1, name: `bulk-${String(i + 1).padStart(5, '0')}`, ...overrides(i) }),
  );
}

function rows(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) =>
    block.type === 'section' && block.accessory?.type === 'button' ? [block.accessory.value ?? ''] : [],
  );
}

function nav(message: SlackMessage): { action_id: string; value: string }[] {
  const block = message.blocks.find(
    (b): b is Extract<KnownBlock, { type: 'actions' }> => b.type === 'actions',
  );
  return (block?.elements ?? []).map((el) => ({
    action_id: 'action_id' in el ? String(el.action_id) : '',
    value: 'value' in el ? String(el.value) : '',
  }));
}

function summary(message: SlackMessage): string {
  const context = message.blocks[1];
  if (context?.type !== 'context') throw new Error('expected the summary context second');
  const [first] = context.elements;
  return first && 'text' in first ? first.text : '';
}

describe('listMessage', () => {
  it('shows one row a server, with a unique Show button each', () => {
    const message = listMessage(fleet(3), {}, 1);
    expect(limitViolations(message)).toEqual([]);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'VPS.org servers' },
    });
    expect(rows(message)).toEqual(['1', '2', '3']);
    const ids = message.blocks.flatMap((b) =>
      b.type === 'section' && b.accessory && 'action_id' in b.accessory ? [b.accessory.action_id] : [],
    );
    expect(ids).toEqual([`${ACTION.showPrefix}1`, `${ACTION.showPrefix}2`, `${ACTION.showPrefix}3`]);
    expect(summary(message)).toBe('all servers · 3 servers');
    expect(nav(message)).toEqual([]);
  });

  it('puts the count and the filter in the header line', () => {
    const message = listMessage(fleet(1), { status: 'stopped', location: 'us-west' }, 1);
    expect(summary(message)).toBe('status=stopped · location=us-west · 1 server');
    expect(message.text).toContain('status=stopped · location=us-west · 1 server');
  });

  it('pages by LIST_PAGE_SIZE with Next and Previous only where they lead somewhere', () => {
    const servers = fleet(LIST_PAGE_SIZE * 2 + 5);
    const first = listMessage(servers, { status: 'active' }, 1);
    expect(rows(first)).toHaveLength(LIST_PAGE_SIZE);
    expect(rows(first)[0]).toBe('1');
    expect(summary(first)).toBe(`status=active · ${servers.length} servers · page 1 of 3`);
    expect(nav(first).map((b) => b.action_id)).toEqual([ACTION.pageNext]);
    expect(decodeListRef(nav(first)[0]?.value ?? '')).toEqual({
      page: 2,
      filter: { status: 'active', location: undefined },
    });

    const middle = listMessage(servers, { status: 'active' }, 2);
    expect(rows(middle)[0]).toBe(String(LIST_PAGE_SIZE + 1));
    expect(nav(middle).map((b) => b.action_id)).toEqual([ACTION.pagePrevious, ACTION.pageNext]);
    expect(nav(middle).map((b) => decodeListRef(b.value)?.page)).toEqual([1, 3]);

    const last = listMessage(servers, { status: 'active' }, 3);
    expect(rows(last)).toHaveLength(5);
    expect(nav(last).map((b) => b.action_id)).toEqual([ACTION.pagePrevious]);
    for (const message of [first, middle, last]) expect(limitViolations(message)).toEqual([]);
  });

  it('clamps the page to the pages there are', () => {
    const servers = fleet(LIST_PAGE_SIZE + 1);
    expect(rows(listMessage(servers, {}, 0))[0]).toBe('1');
    expect(rows(listMessage(servers, {}, -4))[0]).toBe('1');
    const beyond = listMessage(servers, {}, 99);
    expect(rows(beyond)).toEqual([String(LIST_PAGE_SIZE + 1)]);
    expect(summary(beyond)).toContain('page 2 of 2');
  });

  it('takes another page size', () => {
    const message = listMessage(fleet(7), {}, 2, { pageSize: 3 });
    expect(rows(message)).toEqual(['4', '5', '6']);
    expect(summary(message)).toContain('page 2 of 3');
  });

  it('offers Share with the page and filter when shareable', () => {
    const message = listMessage(fleet(2), { location: 'eu-central' }, 1, { shareable: true });
    const share = nav(message).find((b) => b.action_id === ACTION.share);
    expect(share?.value.startsWith('list:')).toBe(true);
    expect(decodeListRef(share?.value.slice('list:'.length) ?? '')).toEqual({
      page: 1,
      filter: { status: undefined, location: 'eu-central' },
    });
  });

  it('says when no server matches a filter', () => {
    const message = listMessage([], { status: 'suspended' }, 1);
    expect(limitViolations(message)).toEqual([]);
    expect(rows(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('No servers match status=suspended');
    expect(summary(message)).toBe('status=suspended · 0 servers');
  });

  it('says plainly that there are no servers at all, without a filter', () => {
    const message = listMessage([], {}, 1);
    expect(limitViolations(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('No servers');
    expect(text).not.toContain('match all servers');
  });

  it('escapes API strings and filter values', () => {
    const servers = fleet(2, () => ({
      name: '<!channel> & co',
      hostname: '<http://evil|click>',
      location: '<!here>',
      plan: { id: 1, name: '<@U0EVIL>', vcpus: 1, memory: 1, storage: 1 },
    }));
    const message = listMessage(servers, { status: '<!channel>', location: '<http://evil|click>&' }, 1, {
      shareable: true,
    });
    expect(limitViolations(message)).toEqual([]);
    for (const text of mrkdwnTexts(message)) {
      for (const hostile of HOSTILE) expect(text).not.toContain(hostile);
      expect(text).not.toMatch(BARE_AMPERSAND);
    }
  });
});

describe('listPages', () => {
  it('cuts 10 000 servers into pages that each fit Slack', () => {
    const hostname = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const servers = fleet(10_000, (i) => ({
      name: `${'n'.repeat(57)}-${String(i).padStart(5, '0')}`,
      hostname,
    }));
    const pages = listPages(servers, { location: 'us-west' });
    expect(pages).toHaveLength(Math.ceil(10_000 / LIST_PAGE_SIZE));
    const shown: string[] = [];
    for (const [index, page] of pages.entries()) {
      expect(limitViolations(page), `page ${index + 1}`).toEqual([]);
      shown.push(...rows(page));
    }
    expect(shown).toHaveLength(10_000);
    expect(new Set(shown).size).toBe(10_000);
    expect(summary(pages[0] as SlackMessage)).toContain(`page 1 of ${pages.length}`);
    expect(nav(pages.at(-1) as SlackMessage).map((b) => b.action_id)).toEqual([
      ACTION.pagePrevious,
      ACTION.share,
    ]);
  });

  it('gives one page for an empty list', () => {
    const pages = listPages([], {});
    expect(pages).toHaveLength(1);
    expect(limitViolations(pages[0] as SlackMessage)).toEqual([]);
  });
});

describe('encodeListRef / decodeListRef', () => {
  it('round-trips page and filter', () => {
    for (const ref of [
      { page: 1, filter: { status: undefined, location: undefined } },
      { page: 7, filter: { status: 'stopped', location: 'us-west' } },
      { page: 334, filter: { status: 'active', location: undefined } },
    ]) {
      expect(decodeListRef(encodeListRef(ref))).toEqual(ref);
    }
  });

  it('refuses garbage without throwing', () => {
    for (const value of [
      '',
      'not json',
      'null',
      '[]',
      '42',
      '{}',
      '{"p":0}',
      '{"p":-1}',
      '{"p":1.5}',
      '{"p":"2"}',
      '{"p":',
    ]) {
      expect(decodeListRef(value), value).toBeUndefined();
    }
  });

  it('drops filter values that are not strings', () => {
    expect(decodeListRef('{"p":2,"s":5,"l":{"x":1}}')).toEqual({
      page: 2,
      filter: { status: undefined, location: undefined },
    });
  });
});
