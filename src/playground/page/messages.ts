import type { ChannelView, MessageView } from '../protocol.js';
import { type BlockContext, blocks } from './blocks.js';
import { h, reconcile } from './dom.js';
import type { Obj } from './kit.js';
import { mrkdwn, type TextContext } from './mrkdwn-dom.js';

export interface MessagesContext extends TextContext {
  act(message: MessageView, element: Obj, value: string | undefined): Promise<void>;
  openThread(ts: string): void;
  initials(userId: string): string;
  isBot(userId: string): boolean;
}

/** A parent, or a reply whose parent is this ts. */
function isReply(m: MessageView): boolean {
  return m.threadTs !== undefined && m.threadTs !== m.ts;
}

function messageElement(m: MessageView, ctx: MessagesContext, replies: number): HTMLElement {
  const author = ctx.userName(m.user);
  const blockCtx: BlockContext = { ...ctx, act: (element, value) => ctx.act(m, element, value) };
  const body =
    m.blocks !== undefined && m.blocks.length > 0
      ? blocks(m.blocks, blockCtx)
      : h('div', { class: 'bk-text' }, ...mrkdwn(m.text, ctx));
  const label = `${author}${m.ephemeral ? ', only visible to you' : ''}`;
  return h(
    'article',
    { class: `message${m.ephemeral ? ' ephemeral' : ''}`, attrs: { 'aria-label': label, 'data-ts': m.ts } },
    h(
      'div',
      { class: `avatar${ctx.isBot(m.user) ? ' bot' : ''}`, attrs: { 'aria-hidden': 'true' } },
      ctx.initials(m.user),
    ),
    h(
      'div',
      { class: 'message-main' },
      h(
        'div',
        { class: 'message-head' },
        h('span', { class: 'author' }, author),
        ctx.isBot(m.user) && h('span', { class: 'app-badge' }, 'APP'),
        m.edited && h('span', { class: 'edited' }, '(edited)'),
      ),
      m.ephemeral &&
        h(
          'div',
          { class: 'ephemeral-note' },
          h('span', { attrs: { 'aria-hidden': 'true' } }, '👁 '),
          'Only visible to you',
        ),
      h('div', { class: 'message-body' }, body),
      replies > 0 &&
        h(
          'button',
          { class: 'replies', attrs: { type: 'button' }, on: { click: () => ctx.openThread(m.ts) } },
          `${replies} ${replies === 1 ? 'reply' : 'replies'}`,
        ),
    ),
  );
}

function key(m: MessageView, replies: number, me: string): string {
  return `${me}|${m.ts}|${replies}|${JSON.stringify([m.text, m.blocks, m.edited, m.ephemeral])}`;
}

const pinned = new WeakMap<HTMLElement, boolean>();

/**
 * Keeps a message list scrolled to its newest message, as Slack does, unless the person scrolled up
 * to read: then it stays where they are.
 */
function stickToBottom(list: HTMLElement, update: () => void): void {
  if (!pinned.has(list)) {
    pinned.set(list, true);
    list.addEventListener('scroll', () =>
      pinned.set(list, list.scrollHeight - list.scrollTop - list.clientHeight < 60),
    );
    // A thread pane opening narrows the list and makes it taller: still pinned, still at the bottom.
    new ResizeObserver(() => {
      if (pinned.get(list)) list.scrollTop = list.scrollHeight;
    }).observe(list);
  }
  update();
  if (pinned.get(list)) list.scrollTop = list.scrollHeight;
}

/** A channel opened afresh starts at its newest message. */
export function pinToBottom(list: HTMLElement): void {
  pinned.set(list, true);
  list.scrollTop = list.scrollHeight;
}

/** The channel's messages, replies folded under their parent as "N replies". */
export function drawChannel(list: HTMLElement, messages: readonly MessageView[], ctx: MessagesContext): void {
  const replies = new Map<string, number>();
  for (const m of messages)
    if (isReply(m) && m.threadTs) replies.set(m.threadTs, (replies.get(m.threadTs) ?? 0) + 1);
  const top = messages.filter((m) => !isReply(m));
  stickToBottom(list, () =>
    reconcile(
      list,
      top.map((m) => {
        const count = replies.get(m.ts) ?? 0;
        return { key: key(m, count, ctx.me), build: () => messageElement(m, ctx, count) };
      }),
    ),
  );
  list.hidden = false;
  const empty = list.nextElementSibling;
  if (empty instanceof HTMLElement && empty.classList.contains('empty')) empty.hidden = top.length > 0;
}

/** The thread pane: the parent, then every reply. */
export function drawThread(
  list: HTMLElement,
  parentTs: string,
  messages: readonly MessageView[],
  ctx: MessagesContext,
): boolean {
  const parent = messages.find((m) => m.ts === parentTs);
  if (!parent) return false;
  const replies = messages.filter((m) => isReply(m) && m.threadTs === parentTs);
  stickToBottom(list, () =>
    reconcile(list, [
      { key: key(parent, -1, ctx.me), build: () => messageElement(parent, ctx, 0) },
      {
        key: `divider|${replies.length}`,
        build: () =>
          h(
            'div',
            { class: 'thread-count' },
            `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`,
          ),
      },
      ...replies.map((m) => ({ key: key(m, 0, ctx.me), build: () => messageElement(m, ctx, 0) })),
    ]),
  );
  return true;
}

export function channelTitle(channel: ChannelView): string {
  return channel.kind === 'dm' ? channel.name : `#${channel.name}`;
}
