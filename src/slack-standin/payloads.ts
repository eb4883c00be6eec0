import { APP_ID, channelName, TEAM_DOMAIN, TEAM_ID, userName, VERIFICATION_TOKEN } from './workspace.js';

export function userObject(userId: string, teamId: string = TEAM_ID): Record<string, unknown> {
  const name = userName(userId);
  return { id: userId, username: name, name, team_id: teamId };
}

function team(teamId: string): Record<string, unknown> {
  return { id: teamId, domain: TEAM_DOMAIN };
}

/** Interactivity payloads travel as one form field holding the JSON. */
export function payloadForm(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface CommandFields {
  command: string;
  text: string;
  userId: string;
  channelId: string;
  teamId: string;
  responseUrl: string;
  triggerId: string;
}

/** A slash command's form body, fields in the order Slack sends them. */
export function commandForm(fields: CommandFields): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: fields.teamId,
    team_domain: TEAM_DOMAIN,
    channel_id: fields.channelId,
    channel_name: channelName(fields.channelId),
    user_id: fields.userId,
    user_name: userName(fields.userId),
    command: fields.command,
    text: fields.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  }).toString();
}

export interface BlockActionsFields {
  userId: string;
  triggerId: string;
  action: Record<string, unknown>;
  source:
    | {
        kind: 'message';
        channelId: string;
        messageTs: string;
        ephemeral: boolean;
        message: Record<string, unknown> | undefined;
        responseUrl: string;
      }
    | { kind: 'view'; view: Record<string, unknown> };
}

export function blockActionsPayload(fields: BlockActionsFields): Record<string, unknown> {
  const { source } = fields;
  const common = {
    type: 'block_actions',
    user: userObject(fields.userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
  };
  const tail = {
    trigger_id: fields.triggerId,
    team: team(TEAM_ID),
    enterprise: null,
    is_enterprise_install: false,
  };
  if (source.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: source.view.id },
      ...tail,
      view: source.view,
      actions: [fields.action],
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: source.messageTs,
      channel_id: source.channelId,
      is_ephemeral: source.ephemeral,
    },
    ...tail,
    channel: { id: source.channelId, name: channelName(source.channelId) },
    // Slack leaves the message out for ephemeral messages: it keeps no copy of them.
    ...(source.message === undefined ? {} : { message: source.message }),
    state: { values: {} },
    response_url: source.responseUrl,
    actions: [fields.action],
  };
}

export function viewSubmissionPayload(fields: {
  userId: string;
  triggerId: string;
  view: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: team(TEAM_ID),
    user: userObject(fields.userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: fields.triggerId,
    view: fields.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Sent when a person closes a modal whose view asked for it (notify_on_close). */
export function viewClosedPayload(fields: {
  userId: string;
  view: Record<string, unknown>;
  isCleared: boolean;
}): Record<string, unknown> {
  return {
    type: 'view_closed',
    team: team(TEAM_ID),
    user: userObject(fields.userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    view: fields.view,
    is_cleared: fields.isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}
