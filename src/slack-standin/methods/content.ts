import { isRecord } from '../args.js';
import { withBlockIds } from '../blocks.js';

const MAX_MESSAGE_BLOCKS = 50;
const MAX_TEXT_CHARS = 40_000;

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
}

/** The message fields of a chat.* call, checked against the limits Slack enforces. */
export function messageContent(args: Record<string, unknown>): MessageContent | { error: string } {
  const content: MessageContent = {};
  if (typeof args.text === 'string') {
    if (args.text.length > MAX_TEXT_CHARS) return { error: 'msg_too_long' };
    content.text = args.text;
  }
  if (args.blocks !== undefined) {
    if (
      !Array.isArray(args.blocks) ||
      args.blocks.length > MAX_MESSAGE_BLOCKS ||
      !args.blocks.every(isRecord)
    ) {
      return { error: 'invalid_blocks' };
    }
    content.blocks = withBlockIds(args.blocks);
  }
  if (args.attachments !== undefined) {
    if (!Array.isArray(args.attachments)) return { error: 'invalid_attachments' };
    content.attachments = args.attachments;
  }
  if (args.metadata !== undefined) content.metadata = args.metadata;
  return content;
}

export function isEmpty(content: MessageContent): boolean {
  return (
    (content.text ?? '') === '' &&
    (content.blocks ?? []).length === 0 &&
    (content.attachments ?? []).length === 0
  );
}
