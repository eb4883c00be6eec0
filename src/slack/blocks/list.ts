import { INPUT_LIMITS, LIST_FILTER_WORD } from '../../input-limits.js';
import type { ListFilter } from '../../vps/client.js';
import type { Server } from '../../vps/schemas.js';
import { ACTION } from '../ids.js';
import { serverLine } from './card.js';
import { type Button, context, type KnownBlock, type SlackMessage, section } from './kit.js';
import { escapeText, plural } from './text.js';

/** Rows a page: with the header, context and buttons, well inside Slack's 50 blocks a message. */
export const LIST_PAGE_SIZE = 30;

export interface ListPageRef {
  page: number;
  filter: ListFilter;
}

export function encodeListRef(ref: ListPageRef): string {
  return JSON.stringify({ p: ref.page, s: ref.filter.status, l: ref.filter.location });
}

export function decodeListRef(value: string): ListPageRef | undefined {
  try {
    const { p, s, l } = JSON.parse(value) as { p?: unknown; s?: unknown; l?: unknown };
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) return undefined;
    // `/vps list` takes no longer filter, so no page of the bot's own carries one.
    const unfit = (v: unknown) =>
      typeof v === 'string' && (v.length > INPUT_LIMITS.listFilter || !LIST_FILTER_WORD.test(v));
    if (unfit(s) || unfit(l)) return undefined;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { page: p, filter: { status: text(s), location: text(l) } };
  } catch {
    return undefined;
  }
}

export function describeFilter(filter: ListFilter): string {
  const parts = [
    filter.status ? `status=${escapeText(filter.status)}` : undefined,
    filter.location ? `location=${escapeText(filter.location)}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'all servers';
}

export function pageCount(total: number, pageSize = LIST_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

function navButton(text: string, actionId: string, ref: ListPageRef): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value: encodeListRef(ref),
  };
}

/** One page of `/vps list`; the page number is clamped to the pages there are. */
export function listMessage(
  servers: readonly Server[],
  filter: ListFilter,
  requestedPage: number,
  options: { shareable?: boolean; pageSize?: number } = {},
): SlackMessage {
  const pageSize = options.pageSize ?? LIST_PAGE_SIZE;
  const pages = pageCount(servers.length, pageSize);
  const page = Math.min(Math.max(1, requestedPage), pages);
  const rows = servers.slice((page - 1) * pageSize, page * pageSize);
  const summary = `${describeFilter(filter)} · ${plural(servers.length, 'server')}${pages > 1 ? ` · page ${page} of ${pages}` : ''}`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'VPS.org servers' } },
    context(summary),
  ];
  if (rows.length === 0) {
    blocks.push(
      section(
        filter.status || filter.location
          ? `No servers match ${describeFilter(filter)}.`
          : 'No servers on this account yet.',
      ),
    );
  }
  for (const server of rows) {
    blocks.push({
      ...section(serverLine(server)),
      accessory: {
        type: 'button',
        text: { type: 'plain_text', text: 'Show' },
        action_id: `${ACTION.showPrefix}${server.id}`,
        value: String(server.id),
      },
    });
  }
  const buttons: Button[] = [];
  if (page > 1) buttons.push(navButton('◀ Previous', ACTION.pagePrevious, { page: page - 1, filter }));
  if (page < pages) buttons.push(navButton('Next ▶', ACTION.pageNext, { page: page + 1, filter }));
  if (options.shareable) {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Share in channel' },
      action_id: ACTION.share,
      value: `list:${encodeListRef({ page, filter })}`,
    });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'list.nav', elements: buttons });
  return { text: `VPS.org servers: ${summary}`, blocks };
}

/** Every page of a list, as `/vps list` would show them one by one. */
export function listPages(
  servers: readonly Server[],
  filter: ListFilter,
  pageSize = LIST_PAGE_SIZE,
): SlackMessage[] {
  return Array.from({ length: pageCount(servers.length, pageSize) }, (_, index) =>
    listMessage(servers, filter, index + 1, { shareable: true, pageSize }),
  );
}
