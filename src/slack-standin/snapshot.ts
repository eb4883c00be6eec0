import { z } from 'zod';
import type { ResponseUrlStore } from './response-urls.js';
import type { Workspace } from './state.js';

const text = z.string();
const edited = z.object({ user: text, ts: text });

const storedMessage = z.object({
  type: z.literal('message'),
  channel: text,
  ts: text,
  thread_ts: text.optional(),
  text,
  blocks: z.array(z.unknown()).optional(),
  attachments: z.array(z.unknown()).optional(),
  metadata: z.unknown().optional(),
  user: text,
  bot_id: text,
  app_id: text,
  team: text,
  edited: edited.optional(),
});

const ephemeralMessage = z.object({
  channel: text,
  user: text,
  ts: text,
  thread_ts: text.optional(),
  text,
  blocks: z.array(z.unknown()).optional(),
});

const responseMessage = z.object({
  response_type: z.enum(['ephemeral', 'in_channel']),
  text,
  blocks: z.array(z.unknown()).optional(),
  thread_ts: text.optional(),
});

const hook = z.object({
  id: text,
  channel: text.optional(),
  ts: text.optional(),
  user: text.optional(),
  ephemeral: text.optional(),
  expired: z.boolean(),
  message: responseMessage.optional(),
  posted: z.object({ kind: z.enum(['ephemeral', 'channel']), ts: text }).optional(),
});

const count = z.number().int().min(0);
const pairs = <T extends z.ZodType>(value: T) => z.array(z.tuple([text, value]));

/**
 * Everything a Slack client of the stand-in would show again after a restart: messages, threads,
 * ephemeral messages, open modals, response URLs, and the workspace's people, channels and groups.
 * Not kept: the call log and trigger ids (which live 3 seconds anyway).
 */
export const workspaceSnapshotSchema = z.object({
  version: z.literal(1),
  ids: z.object({ messages: count, triggers: count, views: count, responses: count }),
  messages: z.object({ channels: z.array(storedMessage), ephemeral: z.array(ephemeralMessage) }),
  views: z.array(z.looseObject({ id: text, hash: text })),
  modals: pairs(z.array(text)),
  hooks: z.array(hook),
  usergroups: pairs(z.array(text)),
  membership: pairs(z.boolean()),
  botDms: z.array(text),
  directory: z.object({
    users: z.array(
      z.object({ id: text, name: text, realName: text, tz: text, isBot: z.boolean().optional() }),
    ),
    channels: z.array(z.object({ id: text, name: text, isPrivate: z.boolean().optional() })),
  }),
});

export type WorkspaceSnapshot = z.infer<typeof workspaceSnapshotSchema>;

export function takeSnapshot(workspace: Workspace, responses: ResponseUrlStore): WorkspaceSnapshot {
  return {
    version: 1,
    ids: workspace.ids.dump(),
    messages: workspace.messages.dump(),
    views: workspace.views.dump(),
    modals: workspace.modals.dump(),
    hooks: responses.dump(),
    usergroups: [...workspace.usergroups].map(([id, users]) => [id, [...users]]),
    membership: [...workspace.membership],
    botDms: [...workspace.botDms],
    directory: workspace.directory.dump(),
  };
}

/** Checked first: a malformed snapshot throws and changes nothing. */
export function restoreSnapshot(workspace: Workspace, responses: ResponseUrlStore, snapshot: unknown): void {
  const s = workspaceSnapshotSchema.parse(snapshot);
  workspace.reset();
  workspace.ids.load(s.ids);
  workspace.messages.load(s.messages);
  workspace.views.load(s.views);
  workspace.modals.load(s.modals);
  responses.load(s.hooks);
  for (const [id, users] of s.usergroups) workspace.usergroups.set(id, [...users]);
  for (const [id, member] of s.membership) workspace.membership.set(id, member);
  for (const id of s.botDms) workspace.botDms.add(id);
  workspace.directory.load(s.directory);
}
