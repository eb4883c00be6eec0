import { z } from 'zod';
import { truncate } from '../blocks/kit.js';

/** What a log line says about the request it is about: never a token, never a whole payload. */
export interface RequestAbout {
  /** `slash_command`, or the payload's type: `block_actions`, `view_submission`, `event_callback`, ... */
  request: string;
  user?: string;
  command?: string;
  action_id?: string;
  callback_id?: string;
  event?: string;
}

// Values from a request are shortened: a log line stays one short line whatever arrives.
const MAX = 80;
const text = z
  .string()
  .transform((value) => truncate(value, MAX))
  .optional()
  .catch(undefined);
const withId = z.object({ id: text }).optional().catch(undefined);

const fields = z.object({
  type: text,
  command: text,
  user_id: text,
  user: withId,
  actions: z
    .array(z.object({ action_id: text }))
    .optional()
    .catch(undefined),
  callback_id: text,
  view: z.object({ callback_id: text }).optional().catch(undefined),
  event: z.object({ type: text, user: text }).optional().catch(undefined),
});

/** The request's context for a log line, from any body at all (it may be the malformed one). */
export function requestAbout(body: unknown): RequestAbout {
  const parsed = fields.safeParse(body);
  if (!parsed.success) return { request: 'unknown' };
  const b = parsed.data;
  const about: RequestAbout = {
    request: b.command !== undefined ? 'slash_command' : (b.type ?? 'unknown'),
    user: b.user_id ?? b.user?.id ?? b.event?.user,
    command: b.command,
    action_id: b.actions?.[0]?.action_id,
    callback_id: b.view?.callback_id ?? b.callback_id,
    event: b.event?.type,
  };
  for (const key of Object.keys(about) as (keyof RequestAbout)[]) {
    if (about[key] === undefined) delete about[key];
  }
  return about;
}
