import { EventEmitter } from 'node:events';
import { handleRequest } from './api-handler.js';
import { asRecord, clone, isRecord } from './args.js';
import { type ButtonInfo, buttons } from './blocks.js';
import { CallLog } from './call-log.js';
import { type FailureOptions, FailureRules } from './failures.js';
import { actionFor, findAction } from './find-action.js';
import { HttpHost } from './http-host.js';
import type { ViewValues } from './inputs.js';
import { blockActionsPayload, commandForm, payloadForm, viewSubmissionPayload } from './payloads.js';
import { type ResponseOrigin, ResponseUrlStore } from './response-urls.js';
import { sendSigned } from './sender.js';
import { Workspace } from './state.js';
import type {
  Call,
  CallPredicate,
  EphemeralMessage,
  ResponseMessage,
  SendOptions,
  SendResult,
  StoredMessage,
  StoredView,
  WaitOptions,
} from './types.js';
import { stateValues } from './view-state.js';
import { DEFAULT_CHANNEL, DEFAULT_USER, TEAM_ID } from './workspace.js';

export interface SlackStandinOptions {
  /** Default 'xoxb-standin-token'. */
  botToken?: string;
  /** Default 'standin-signing-secret'. */
  signingSecret?: string;
  /** How long a trigger id can be exchanged in views.open/views.push; default 3000 ms, Slack's rule. */
  triggerTtlMs?: number;
}

export interface CommandInput {
  text: string;
  /** Default 'U0ALICE'. */
  user?: string;
  /** Default 'C0GENERAL'. */
  channel?: string;
  teamId?: string;
  /** Default '/vps'. */
  command?: string;
}

export interface PreparedCommand {
  body: string;
  responseUrl: string;
  triggerId: string;
}

export interface CommandResult extends SendResult {
  responseUrl: string;
  triggerId: string;
}

/** The message a click happens in. A StoredMessage from messages()/message() fits as it is. */
export interface MessageTarget {
  channel: string;
  ts?: string;
  /** Defaults to the stored message's current blocks. */
  blocks?: readonly unknown[];
  text?: string;
  thread_ts?: string;
  /** The message's own response URL (e.g. the command's, for a message posted with respond()). */
  responseUrl?: string;
  ephemeral?: boolean;
}

export type ClickInput = {
  user?: string;
  actionId: string;
  /** Picks among buttons sharing the action_id, or the option of a select, overflow, radio or checkbox. */
  value?: string;
} & ({ message: MessageTarget | { view: object } } | { view: object });

export interface ClickResult extends SendResult {
  triggerId: string;
  /** The payload's response_url; absent for clicks in a view, as in Slack. */
  responseUrl?: string;
}

export interface SubmitViewInput {
  /** The view as the bot opened it, e.g. standin.view(id). */
  view: object;
  user?: string;
  values?: ViewValues;
}

export interface SubmitViewResult extends SendResult {
  triggerId: string;
}

const DEFAULT_TRIGGER_TTL_MS = 3000;

interface Clicked {
  userId: string;
  actionId: string;
  value: string | undefined;
}

/**
 * Slack, for end-to-end tests of a Bolt app in HTTP mode: a Web API and response URLs over real HTTP on
 * 127.0.0.1 that record every call, and signed slash commands, clicks and view submissions sent to the bot.
 * Emits 'call' for each recorded call.
 */
export class SlackStandin extends EventEmitter<{ call: [Call] }> {
  readonly botToken: string;
  readonly signingSecret: string;
  /** Where commands and interactions go, e.g. 'http://127.0.0.1:3456/slack/events'. */
  botUrl: string | undefined;
  /**
   * Several replicas of the bot behind a load balancer: when set, each request (commands, clicks,
   * submissions, redeliveries) goes to the next of them in turn, instead of to `botUrl`.
   */
  botUrls: readonly string[] = [];
  private turn = 0;

  private readonly workspace: Workspace;
  private readonly failures = new FailureRules();
  private readonly responses: ResponseUrlStore;
  private readonly log = new CallLog((call) => this.emit('call', call));
  private readonly host: HttpHost;

  constructor(options: SlackStandinOptions = {}) {
    super();
    this.botToken = options.botToken ?? 'xoxb-standin-token';
    this.signingSecret = options.signingSecret ?? 'standin-signing-secret';
    const ttl = options.triggerTtlMs ?? DEFAULT_TRIGGER_TTL_MS;
    if (!Number.isFinite(ttl) || ttl < 0)
      throw new Error(`SlackStandin: triggerTtlMs must be >= 0, got ${ttl}`);
    this.workspace = new Workspace(ttl);
    this.responses = new ResponseUrlStore(this.workspace.ids, this.workspace.messages);
    this.host = new HttpHost((req, res) =>
      handleRequest(
        {
          botToken: this.botToken,
          workspace: this.workspace,
          failures: this.failures,
          responses: this.responses,
          log: this.log,
        },
        req,
        res,
      ),
    );
  }

  listen(port = 0): Promise<void> {
    return this.host.listen(port);
  }

  async close(): Promise<void> {
    this.log.abortWaits('SlackStandin: closed while a wait was pending.');
    await this.host.close();
  }

  /** The WebClient's slackApiUrl: 'http://127.0.0.1:PORT/api/'. */
  get apiUrl(): string {
    return `${this.host.baseUrl}/api/`;
  }

  /** Forgets calls, messages, views, trigger ids, response URLs, failures, user groups and membership. */
  reset(): void {
    this.log.clear();
    this.workspace.reset();
    this.failures.clear();
    this.responses.clear();
  }

  // Recording

  get calls(): readonly Call[] {
    return this.log.calls;
  }

  callsTo(method: string): Call[] {
    return this.log.callsTo(method);
  }

  clearCalls(): void {
    this.log.clear();
  }

  /** The first call to `method` matching `predicate`, recorded already or yet to come; rejects after timeoutMs. */
  waitFor(method: string, predicate?: CallPredicate, options?: WaitOptions): Promise<Call> {
    return this.log.waitFor(method, predicate, options);
  }

  waitForCount(
    method: string,
    count: number,
    predicate?: CallPredicate,
    options?: WaitOptions,
  ): Promise<Call[]> {
    return this.log.waitForCount(method, count, predicate, options);
  }

  // Failure injection and workspace set-up

  /** The next matching call(s) to `method` answer `{ok: false, error}`. */
  failNext(method: string, error: string, options?: FailureOptions): void {
    this.failures.add(method, { kind: 'error', error }, options);
  }

  /** The next matching call(s) to `method` answer HTTP 429 with Retry-After. */
  rateLimitNext(method: string, retryAfterSeconds: number, options?: FailureOptions): void {
    this.failures.add(method, { kind: 'rate-limit', retryAfterSeconds }, options);
  }

  /** Non-member channels answer not_in_channel to chat.postMessage, chat.update and chat.postEphemeral. */
  setChannelMembership(channelId: string, isMember: boolean): void {
    this.workspace.membership.set(channelId, isMember);
  }

  setUsergroup(groupId: string, userIds: readonly string[]): void {
    this.workspace.usergroups.set(groupId, [...userIds]);
  }

  // Response URLs and trigger ids

  /** A response URL; with an origin message, replace_original/delete_original act on that channel message. */
  newResponseUrl(origin?: ResponseOrigin): string {
    return this.responses.create(this.host.baseUrl, origin);
  }

  /** Posts to it then answer 404, as Slack does after 30 minutes. */
  expireResponseUrl(url: string): void {
    this.responses.expire(url);
  }

  /** What a response URL not tied to a channel message shows now (undefined before any post or once deleted). */
  responseMessage(url: string): ResponseMessage | undefined {
    return this.responses.message(url);
  }

  newTriggerId(): string {
    return this.workspace.triggers.issue(this.workspace.ids.triggerId());
  }

  /** Makes a trigger id expired now, instead of waiting out its time-to-live. */
  expireTriggerId(triggerId: string): void {
    this.workspace.triggers.expire(triggerId);
  }

  // State

  messages(channel: string): StoredMessage[] {
    return this.workspace.messages.list(channel);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    const found = this.workspace.messages.find(channel, ts);
    return found === undefined ? undefined : clone(found);
  }

  ephemeralMessages(channel?: string): EphemeralMessage[] {
    return this.workspace.messages.listEphemeral(channel);
  }

  view(viewId: string): StoredView | undefined {
    return this.workspace.views.get(viewId);
  }

  buttons(blocks: readonly unknown[]): ButtonInfo[] {
    return buttons(blocks);
  }

  // Slack -> bot

  async command(input: CommandInput, options?: SendOptions): Promise<CommandResult> {
    const { body, responseUrl, triggerId } = this.prepareCommand(input);
    const ack = await sendSigned(this.nextBotUrl(), body, this.signingSecret, options);
    return { ...ack, responseUrl, triggerId };
  }

  /**
   * A slash command's form body, with its own response URL and trigger id, ready to be signed and
   * sent by someone else (a load generator on another thread).
   */
  prepareCommand(input: CommandInput): PreparedCommand {
    const channelId = input.channel ?? DEFAULT_CHANNEL;
    const responseUrl = this.newResponseUrl({ channel: channelId });
    const triggerId = this.newTriggerId();
    const body = commandForm({
      command: input.command ?? '/vps',
      text: input.text,
      userId: input.user ?? DEFAULT_USER,
      channelId,
      teamId: input.teamId ?? TEAM_ID,
      responseUrl,
      triggerId,
    });
    return { body, responseUrl, triggerId };
  }

  /**
   * Delivers an earlier request again, as Slack retries one it thinks went unanswered: the same body
   * (trigger_id and all), freshly signed, with X-Slack-Retry-Num and X-Slack-Retry-Reason.
   */
  redeliver(previous: SendResult, options: SendOptions = {}): Promise<SendResult> {
    return sendSigned(this.nextBotUrl(), previous.sent, this.signingSecret, {
      retryNum: 1,
      retryReason: 'http_timeout',
      ...options,
    });
  }

  /** Clicks the element with `actionId` (and `value`); throws, listing the action_ids present, if there is none. */
  async click(input: ClickInput, options?: SendOptions): Promise<ClickResult> {
    const clicked: Clicked = {
      userId: input.user ?? DEFAULT_USER,
      actionId: input.actionId,
      value: input.value,
    };
    if ('view' in input) return this.clickInView(input.view, clicked, options);
    if ('view' in input.message) return this.clickInView(input.message.view, clicked, options);
    return this.clickInMessage(input.message, clicked, options);
  }

  /** Submits the view with `values`; the bot's response_action 'update'/'push' is applied to the stand-in's views. */
  async submitView(input: SubmitViewInput, options?: SendOptions): Promise<SubmitViewResult> {
    const view = asRecord(input.view);
    const values = stateValues(Array.isArray(view.blocks) ? view.blocks : [], input.values ?? {});
    const id = typeof view.id === 'string' ? view.id : this.workspace.ids.viewId();
    const submitted = {
      private_metadata: '',
      callback_id: '',
      hash: this.workspace.ids.viewHash(),
      ...view,
      id,
      state: { values },
    };
    const triggerId = this.newTriggerId();
    const payload = viewSubmissionPayload({ userId: input.user ?? DEFAULT_USER, triggerId, view: submitted });
    const ack = await sendSigned(this.nextBotUrl(), payloadForm(payload), this.signingSecret, options);
    this.applyResponseAction(id, ack.json);
    return { ...ack, triggerId };
  }

  /** Where the next request goes: the next replica in turn, or the one bot. */
  private nextBotUrl(): string | undefined {
    if (this.botUrls.length === 0) return this.botUrl;
    const url = this.botUrls[this.turn % this.botUrls.length];
    this.turn += 1;
    return url;
  }

  private async clickInView(
    viewObject: object,
    clicked: Clicked,
    options?: SendOptions,
  ): Promise<ClickResult> {
    const view = asRecord(viewObject);
    const match = findAction(Array.isArray(view.blocks) ? view.blocks : [], clicked.actionId, clicked.value);
    const triggerId = this.newTriggerId();
    const state = isRecord(view.state) ? view.state : { values: {} };
    const payload = blockActionsPayload({
      userId: clicked.userId,
      triggerId,
      action: actionFor(match),
      source: { kind: 'view', view: { ...view, state } },
    });
    const ack = await sendSigned(this.nextBotUrl(), payloadForm(payload), this.signingSecret, options);
    return { ...ack, triggerId };
  }

  private async clickInMessage(
    target: MessageTarget,
    clicked: Clicked,
    options?: SendOptions,
  ): Promise<ClickResult> {
    const ephemeral = target.ephemeral ?? false;
    // Slack keeps no copy of ephemeral messages; for channel messages it sends the current one.
    const stored =
      target.ts === undefined || ephemeral
        ? undefined
        : this.workspace.messages.find(target.channel, target.ts);
    const blocks = target.blocks ?? stored?.blocks ?? [];
    const match = findAction(blocks, clicked.actionId, clicked.value);
    const ts = target.ts ?? this.workspace.ids.messageTs();
    const responseUrl =
      target.responseUrl ??
      this.newResponseUrl(ephemeral ? { channel: target.channel } : { channel: target.channel, ts });
    const triggerId = this.newTriggerId();
    const payload = blockActionsPayload({
      userId: clicked.userId,
      triggerId,
      action: actionFor(match),
      source: {
        kind: 'message',
        channelId: target.channel,
        messageTs: ts,
        ephemeral,
        message: ephemeral ? undefined : this.payloadMessage(target, stored, ts, blocks),
        responseUrl,
      },
    });
    const ack = await sendSigned(this.nextBotUrl(), payloadForm(payload), this.signingSecret, options);
    return { ...ack, triggerId, responseUrl };
  }

  private payloadMessage(
    target: MessageTarget,
    stored: StoredMessage | undefined,
    ts: string,
    blocks: readonly unknown[],
  ): Record<string, unknown> {
    if (stored !== undefined) {
      return Object.fromEntries(Object.entries(clone(stored)).filter(([key]) => key !== 'channel'));
    }
    return {
      type: 'message',
      ts,
      ...(target.thread_ts === undefined ? {} : { thread_ts: target.thread_ts }),
      text: target.text ?? '',
      blocks: [...blocks],
    };
  }

  private applyResponseAction(viewId: string, ack: unknown): void {
    if (!isRecord(ack) || !isRecord(ack.view)) return;
    if (ack.response_action === 'update') this.workspace.views.replace(viewId, ack.view);
    if (ack.response_action === 'push') this.workspace.views.open(ack.view, viewId);
  }
}
