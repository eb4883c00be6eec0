import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type PlainTextOption = types.PlainTextOption;
export type ActionsBlockElement = types.ActionsBlockElement;

/** A message as the bot sends it: blocks, and the text Slack shows in notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's hard limits (Block Kit reference), in one place so builders and tests agree. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  messageText: 40_000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  accessibilityLabel: 75,
  placeholder: 150,
  plainTextInput: 3000,
} as const;

/** Where a cut to `max` characters, ellipsis included, ends: never inside a surrogate pair (an emoji). */
function cutEnd(text: string, max: number): number {
  const end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, cutEnd(text, max))}…`;
}

/**
 * Cuts mrkdwn as `truncate` does, but never inside a token (`<@U123>`, `<!date^…>`): half of one shows
 * as markup. Escaped text holds no `<`, so any `<` left open at the cut starts one of the bot's own.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = cutEnd(text, max);
  const open = text.lastIndexOf('<', end - 1);
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0 || close >= end) end = open;
  }
  return `${text.slice(0, end)}…`;
}

/** Plain text for a button, option or title: no mrkdwn there, only a length limit. */
export function label(text: string, max: number = LIMITS.buttonText): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

type Mrkdwn = { type: 'mrkdwn'; text: string };

function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text: truncateMrkdwn(text, LIMITS.sectionText) };
}

/** A section of mrkdwn text, cut to Slack's limit; with fields when given. */
export function section(text: string, fields?: Mrkdwn[]): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text), ...(fields ? { fields } : {}) };
}

/** A context line (or a few), each cut to Slack's limit. */
export function context(...texts: string[]): types.ContextBlock {
  return { type: 'context', elements: texts.slice(0, LIMITS.contextElements).map(mrkdwn) };
}
