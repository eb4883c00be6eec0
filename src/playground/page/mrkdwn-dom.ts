import { h } from './dom.js';
import { type Block, EMOJI, formatDate, type Inline, isSafeUrl, parseMrkdwn } from './mrkdwn.js';

/** Who and what the reader knows: names for ids, and the reader's time zone for dates. */
export interface TextContext {
  me: string;
  userName(id: string): string;
  channelName(id: string): string;
  timeZone: string;
}

function mention(text: string, mine = false): HTMLElement {
  return h('span', { class: mine ? 'mention mention-me' : 'mention' }, text);
}

function inline(node: Inline, ctx: TextContext): Node {
  switch (node.kind) {
    case 'text':
      return document.createTextNode(node.text);
    case 'newline':
      return h('br');
    case 'bold':
      return h('strong', {}, ...node.children.map((c) => inline(c, ctx)));
    case 'italic':
      return h('em', {}, ...node.children.map((c) => inline(c, ctx)));
    case 'strike':
      return h('s', {}, ...node.children.map((c) => inline(c, ctx)));
    case 'code':
      return h('code', {}, node.text);
    case 'link':
      return isSafeUrl(node.url)
        ? h('a', { attrs: { href: node.url, target: '_blank', rel: 'noopener noreferrer' } }, node.label)
        : document.createTextNode(node.label);
    case 'user':
      // Slack shows the person's current name; the label is only for an id it does not know.
      return mention(
        `@${ctx.userName(node.id) === node.id ? (node.label ?? node.id) : ctx.userName(node.id)}`,
        node.id === ctx.me,
      );
    case 'channel':
      return mention(
        `#${ctx.channelName(node.id) === node.id ? (node.label ?? node.id) : ctx.channelName(node.id)}`,
      );
    case 'usergroup':
      return mention(node.label ?? `@${node.id}`);
    case 'broadcast':
      return mention(`@${node.name}`, true);
    case 'date': {
      const text = formatDate(node.seconds, node.format, ctx.timeZone);
      return h(
        'time',
        { attrs: { datetime: new Date(node.seconds * 1000).toISOString(), title: node.fallback } },
        text,
      );
    }
    case 'emoji':
      return node.char === undefined
        ? document.createTextNode(`:${node.name}:`)
        : h(
            'span',
            { class: 'emoji', attrs: { role: 'img', 'aria-label': node.name.replace(/_/g, ' ') } },
            node.char,
          );
  }
}

function block(node: Block, ctx: TextContext): Node {
  if (node.kind === 'pre') return h('pre', {}, node.text);
  return h('span', { class: 'para' }, ...node.children.map((c) => inline(c, ctx)));
}

/** mrkdwn as DOM nodes. */
export function mrkdwn(text: string, ctx: TextContext): Node[] {
  return parseMrkdwn(text).map((b) => block(b, ctx));
}

/** plain_text: shown as it is, but for emoji codes when `emoji` is not false. */
export function plainText(text: string, emoji = true): Node[] {
  if (!emoji) return [document.createTextNode(text)];
  return text.split(/(:[a-z0-9_+'-]+:)/).map((part) => {
    const char = /^:(.+):$/.test(part) ? EMOJI[part.slice(1, -1)] : undefined;
    return char === undefined
      ? document.createTextNode(part)
      : h(
          'span',
          { class: 'emoji', attrs: { role: 'img', 'aria-label': part.slice(1, -1).replace(/_/g, ' ') } },
          char,
        );
  });
}
