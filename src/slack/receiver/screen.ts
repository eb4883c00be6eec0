import { z } from 'zod';
import { COMMAND, HOME_OPENED, OWN_ID } from '../ids.js';

/** What to do with a parsed, signed request body before any listener sees it. */
export type Screened =
  /** One of the bot's, in the shape its listeners read: hand it to Bolt. */
  | { verdict: 'ours' }
  /** Slack's own checks (ssl_check, url_verification): Bolt answers them. */
  | { verdict: 'slack' }
  /** Well-formed, but nothing of the bot's: answered 200 and logged. */
  | { verdict: 'not_ours' }
  /** Not a request the bot can read: answered 400 with the problem. */
  | { verdict: 'malformed'; problem: string };

const id = z.string().min(1);
const user = z.object({ id });
/** A JSON object, as Bolt reads fields of it before any listener runs (`channel.id`, `'id' in channel`). */
const object = z.record(z.string(), z.unknown());

/** What the `/vps` listener reads. */
const vpsCommand = z.object({
  command: z.literal(COMMAND),
  text: z.string(),
  user_id: id,
  team_id: id,
  channel_id: id,
  response_url: z.url(),
  trigger_id: id,
});

/** What Slack always sends with a click, and the action listener reads. */
const blockActions = z.object({
  user,
  trigger_id: id,
  // Absent on the Home tab and in a modal; Bolt reads its id when it is there.
  channel: object.optional(),
  actions: z.array(z.object({ action_id: id })).min(1),
});

/** A selected option as Slack sends one: the forms read its value. */
const option = z.object({ value: z.string() });

/**
 * One input's state (block id → action id → this), in the shape Slack gives every element: the forms
 * read `value`, `selected_option` and `selected_options`, so each is what Slack sends or absent.
 */
const elementState = z.object({
  value: z.string().nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).nullish(),
});

/** What Slack always sends with a form submission, and the view listener reads. */
const viewSubmission = z.object({
  user,
  trigger_id: id,
  view: z.object({
    id,
    callback_id: z.string(),
    private_metadata: z.string(),
    // The create form looks through its blocks for which fields it has.
    blocks: z.array(z.record(z.string(), z.unknown())),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), elementState)) }),
  }),
});

/** What the Home listener reads of `app_home_opened` (the bot's only event). */
const homeOpened = z.object({
  event_id: id,
  event: z.object({
    type: z.literal(HOME_OPENED),
    user: id,
    tab: z.string().optional(),
    // Bolt looks for the conversation in these before any listener runs.
    channel: z.union([z.string(), object]).optional(),
    item: object.optional(),
  }),
  authorizations: z.array(object).optional(),
});

/** Any other command, event or interaction: enough for Bolt to route it without tripping. */
const otherCommand = z.object({ command: id });
const eventCallback = z.object({ event: z.object({ type: id }) });
const otherInteraction = z.object({ type: id });

function check<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | Screened {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'body';
  return { verdict: 'malformed', problem: `${where}: ${issue?.message ?? 'is not valid'}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sorts a body Bolt parsed (a slash command's form, an interaction's `payload`, an event's JSON).
 * Every kind Slack sends is checked for the fields the bot reads before it reaches a listener, so a
 * listener never trips on a missing one; what is not the bot's is told apart here, so Bolt never
 * waits 3 s for a listener that does not exist.
 */
export function screenBody(body: unknown): Screened {
  if (!isRecord(body)) return { verdict: 'malformed', problem: 'the body is not a JSON object' };
  if (body.ssl_check === '1' || body.type === 'url_verification') return { verdict: 'slack' };
  if ('command' in body) {
    if (body.command !== COMMAND) return passOr(check(otherCommand, body), 'not_ours');
    return passOr(check(vpsCommand, body), 'ours');
  }
  if (body.type === 'block_actions') {
    const checked = check(blockActions, body);
    if (!('ok' in checked)) return checked;
    // Bolt hands the first action to listeners, as Slack sends one action a click.
    return { verdict: OWN_ID.test(checked.value.actions[0]?.action_id ?? '') ? 'ours' : 'not_ours' };
  }
  if (body.type === 'view_submission') {
    const checked = check(viewSubmission, body);
    if (!('ok' in checked)) return checked;
    return { verdict: OWN_ID.test(checked.value.view.callback_id) ? 'ours' : 'not_ours' };
  }
  if ('event' in body) {
    const event = isRecord(body.event) ? body.event : undefined;
    if (event?.type === HOME_OPENED) return passOr(check(homeOpened, body), 'ours');
    return passOr(check(eventCallback, body), 'not_ours');
  }
  if ('type' in body) return passOr(check(otherInteraction, body), 'not_ours');
  return { verdict: 'malformed', problem: 'neither a slash command, an event nor an interaction payload' };
}

function passOr(checked: { ok: true } | Screened, verdict: 'ours' | 'not_ours'): Screened {
  return 'ok' in checked ? { verdict } : checked;
}
