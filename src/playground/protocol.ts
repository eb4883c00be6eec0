/**
 * What the page and the playground server say to each other. The page sees only what Slack would show
 * the person it is acting as: their own ephemeral messages and modals, nobody else's.
 */

export interface PersonView {
  id: string;
  name: string;
  realName: string;
  initials: string;
  about: string;
  /** Their Slack time zone (IANA): dates in messages are shown to them in it, as Slack does. */
  tz: string;
}

export interface ChannelView {
  id: string;
  /** Without '#'; a DM is named after the bot. */
  name: string;
  kind: 'channel' | 'dm';
  topic: string;
}

export interface MessageView {
  ts: string;
  /** Set on replies (and on a parent whose thread_ts is its own ts). */
  threadTs?: string;
  /** The author's user id. */
  user: string;
  text: string;
  blocks?: unknown[];
  ephemeral: boolean;
  edited: boolean;
}

export interface ServerRow {
  id: number;
  name: string;
  status: string;
  location: string;
}

export type Failing = 'none' | 'errors' | 'hang';

export type VpsPanelState =
  | { kind: 'simulator'; servers: ServerRow[]; balanceOk: boolean; failing: Failing }
  | { kind: 'external'; url: string };

export interface ClientState {
  me: string;
  people: PersonView[];
  bot: { id: string; name: string };
  channels: ChannelView[];
  /** Channel id -> its messages and replies, oldest first. */
  messages: Record<string, MessageView[]>;
  /** The person's open modals, bottom first; the last is the one shown. */
  modals: Record<string, unknown>[];
  /** The person's Home tab, as vps-bot last published it (views.publish); null before the first. */
  home: Record<string, unknown> | null;
  vps: VpsPanelState;
  command: { name: string; description: string; usageHint: string };
}

export type InputValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select'; selected_option: { value: string } | null }
  | { type: 'checkboxes'; selected_options: { value: string }[] }
  | { type: 'radio_buttons'; selected_option: { value: string } | null };

/** block_id -> action_id -> value. */
export type FormValues = Record<string, Record<string, InputValue>>;

export interface CommandRequest {
  user: string;
  channel: string;
  /** As typed: '/vps list'. */
  text: string;
}

export type ClickRequest = {
  user: string;
  actionId: string;
  value?: string;
  /** A modal's id, or the person's Home view's. */
} & ({ channel: string; ts: string; ephemeral: boolean } | { viewId: string });

/** The person shows the app's Home tab: Slack sends app_home_opened. */
export interface HomeRequest {
  user: string;
}

export interface SubmitRequest {
  user: string;
  viewId: string;
  values: FormValues;
}

export interface CloseRequest {
  user: string;
  /** Back to the view under it, rather than Close. */
  back?: boolean;
}

/** Every POST answers this: ok, or one sentence for the person; a form can get errors by field. */
export interface Answer {
  ok: boolean;
  error?: string;
  errors?: Record<string, string>;
}

export type VpsControl =
  | { action: 'status'; id: number; status: string }
  | { action: 'failing'; mode: Failing }
  | { action: 'balance'; ok: boolean }
  | { action: 'add'; count: number }
  | { action: 'add-named'; name: string }
  | { action: 'reset' };

export const STATUSES = ['active', 'stopped', 'suspended', 'starting', 'stopping', 'rebooting'] as const;
