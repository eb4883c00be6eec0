import { EventEmitter } from 'node:events';
import { handleRequest } from './api-handler.js';
import { asRecord, clone, isRecord } from './args.js';
import { type ButtonInfo, buttons } from './blocks.js';
import { CallLog } from './call-log.js';
import { type ChannelProfile, type Person, profileOf, type UserProfile } from './directory.js';
import { eventCallback, newEventId, urlVerification } from './events.js';
import { type Failure, type FailureOptions, FailureRules } from './failures.js';
import { actionFor, findAction } from './find-action.js';
import { HttpHost, type RequestHandler } from './http-host.js';
import type { ViewValues } from './inputs.js';
import {
  blockActionsPayload,
  commandForm,
  payloadForm,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads.js';
import { type ResponseOrigin, ResponseUrlStore } from './response-urls.js';
import { sendSigned } from './sender.js';
import { restoreSnapshot, takeSnapshot, type WorkspaceSnapshot } from './snapshot.js';
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
import { DEFAULT_CHANNEL, DEFAULT_USER, dmWith, TEAM_ID } from './workspace.js';

export interface SlackStandinOptions {
  /** Default 'xoxb-standin-token'. */
  botToken?: string;
  /** The app-level token apps.connections.open takes (Socket Mode); default 'xapp-1-standin-token'. */
  appToken?: string;
  /** Default 'standin-signing-secret'. */
  signingSecret?: string;
  /** How long a trigger id can be exchanged in views.open/views.push; default 3000 ms, Slack's rule. */
  triggerTtlMs?: number;
  /**
   * Tried before the stand-in's own routes, on its port: answers a request and resolves true, or
   * resolves false to leave it to the stand-in. The playground serves its page this way.
   */
  intercept?: (...args: Parameters<RequestHandler>) => Promise<boolean>;
}

export interface ResponseUrlFailure {
  /** Only posts to this response URL fail; default any. */
  url?: string;
  /** The HTTP status answered; default 503. */
  status?: number;
  /** Drop the connection instead of answering. */
  reset?: boolean;
  /** How many posts fail; default 1. */
  times?: number;
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

export interface PreparedClick {
  /** The block_actions payload, as Slack sends it (in a `payload=` form over HTTP). */
  payload: Record<string, unknown>;
  triggerId: string;
  /** Absent for clicks in a view, as in Slack. */
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

export interface EventResult extends SendResult {
  eventId: string;
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
  readonly appToken: string;
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
  private socketUrl: (() => string) | undefined;

  constructor(options: SlackStandinOptions = {}) {
    super();
    this.botToken = options.botToken ?? 'xoxb-standin-token';
    this.appToken = options.appToken ?? 'xapp-1-standin-token';
    this.signingSecret = options.signingSecret ?? 'standin-signing-secret';
    const ttl = options.triggerTtlMs ?? DEFAULT_TRIGGER_TTL_MS;
    if (!Number.isFinite(ttl) || ttl < 0)
      throw new Error(`SlackStandin: triggerTtlMs must be >= 0, got ${ttl}`);
    this.workspace = new Workspace(ttl);
    this.responses = new ResponseUrlStore(this.workspace.ids, this.workspace.messages);
    const { intercept } = options;
    this.host = new HttpHost(async (req, res) => {
      if (intercept !== undefined && (await intercept(req, res))) return;
      await handleRequest(
        {
          botToken: this.botToken,
          appToken: this.appToken,
          socketUrl: this.socketUrl,
          workspace: this.workspace,
          failures: this.failures,
          responses: this.responses,
          log: this.log,
        },
        req,
        res,
      );
    });
  }

  /**
   * Where apps.connections.open sends an app: the Socket Mode side (socket/side.ts) plugs itself in
   * here, so that the stand-in itself needs no WebSocket package. Undefined unplugs it.
   */
  setSocketUrl(issue: (() => string) | undefined): void {
    this.socketUrl = issue;
  }

  listen(port = 0): Promise<void> {
    return this.host.listen(port);
  }

  async close(): Promise<void> {
    this.log.abortWaits('SlackStandin: closed while a wait was pending.');
    await this.host.close();
  }

  /** 'http://127.0.0.1:PORT'. */
  get origin(): string {
    return this.host.baseUrl;
  }

  /** The WebClient's slackApiUrl: 'http://127.0.0.1:PORT/api/'. */
  get apiUrl(): string {
    return `${this.host.baseUrl}/api/`;
  }

  /**
   * Forgets calls, messages, views, Home views, people, trigger ids, response URLs, failures, user
   * groups and membership. With `keepHomeViews`, each person's Home tab stays as last published.
   */
  reset(options: { keepHomeViews?: boolean } = {}): void {
    this.log.clear();
    this.workspace.reset(options.keepHomeViews ?? false);
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

  /**
   * The next matching call(s) to `method` answer `{ok: false, error}`. Returns a function that
   * withdraws the failure before its `times` are used up.
   */
  failNext(method: string, error: string, options?: FailureOptions): () => void {
    return this.failures.add(method, { kind: 'error', error }, options);
  }

  /**
   * The next matching call(s) to `method` answer HTTP 429 with Retry-After. Returns a function that
   * lifts the limit before its `times` are used up (a channel busy until the test says otherwise).
   */
  rateLimitNext(method: string, retryAfterSeconds: number, options?: FailureOptions): () => void {
    return this.failures.add(method, { kind: 'rate-limit', retryAfterSeconds }, options);
  }

  /**
   * The next matching post(s) to a response URL fail and change nothing: they answer HTTP `status`
   * (default 503), or with `reset` the connection is dropped unanswered. Each is recorded as a
   * `response_url` call with that status (0 for a reset). `url` limits it to one response URL.
   */
  failResponseUrlNext(options: ResponseUrlFailure = {}): void {
    const { url, status, reset, times } = options;
    const failure: Failure = reset ? { kind: 'reset' } : { kind: 'status', status: status ?? 503 };
    this.failures.add('response_url', failure, {
      ...(times === undefined ? {} : { times }),
      ...(url === undefined ? {} : { match: (args) => args.url === url }),
    });
  }

  /** Non-member channels answer not_in_channel to chat.postMessage, chat.update and chat.postEphemeral. */
  setChannelMembership(channelId: string, isMember: boolean): void {
    this.workspace.membership.set(channelId, isMember);
  }

  setUsergroup(groupId: string, userIds: readonly string[]): void {
    this.workspace.usergroups.set(groupId, [...userIds]);
  }

  /** A person users.info and users.list tell of; unregistered ids are still someone, named after the id. */
  addUser(profile: UserProfile): void {
    this.workspace.directory.addUser(profile);
  }

  /** A channel with a name of its own, for conversations.info. */
  addChannel(profile: ChannelProfile): void {
    this.workspace.directory.addChannel(profile);
  }

  users(): UserProfile[] {
    return this.workspace.directory.users();
  }

  channels(): ChannelProfile[] {
    return this.workspace.directory.channels();
  }

  /** The bot's DM with a person, which it may post to, as after conversations.open. */
  openDm(userId: string): string {
    const id = dmWith(userId);
    this.workspace.botDms.add(id);
    return id;
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

  /** A trigger id; with `user`, the modal it opens is that person's. */
  newTriggerId(user?: string): string {
    return this.workspace.triggers.issue(this.workspace.ids.triggerId(), Date.now(), user);
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

  /** The modals a person has open, bottom first: the last one is the one they see. */
  modals(user: string): StoredView[] {
    return this.workspace.modals
      .list(user)
      .map((id) => this.workspace.views.get(id))
      .filter((view): view is StoredView => view !== undefined);
  }

  /** Back: the person leaves the top modal for the one under it. Slack tells the app nothing. */
  backView(user: string): void {
    this.workspace.modals.pop(user);
  }

  /**
   * The person closes the top modal (Close, Cancel, Escape): it goes, or every one goes when it has
   * clear_on_close. A view with notify_on_close is sent to the bot as view_closed.
   */
  async closeView(user: string, options?: SendOptions): Promise<SendResult | undefined> {
    const top = this.workspace.modals.top(user);
    const view = top === undefined ? undefined : this.workspace.views.get(top);
    if (view === undefined) return undefined;
    const cleared = view.clear_on_close === true;
    if (cleared) this.workspace.modals.clear(user);
    else this.workspace.modals.pop(user);
    if (view.notify_on_close !== true) return undefined;
    const payload = viewClosedPayload({ userId: user, view, isCleared: cleared });
    return sendSigned(this.nextBotUrl(), payloadForm(payload), this.signingSecret, options);
  }

  // Snapshots

  /** What a restart should find again (see WorkspaceSnapshot); calls and trigger ids are not kept. */
  snapshot(): WorkspaceSnapshot {
    return takeSnapshot(this.workspace, this.responses);
  }

  /** Puts a snapshot back (checked first: a malformed one throws and changes nothing). */
  restore(snapshot: unknown): void {
    restoreSnapshot(this.workspace, this.responses, snapshot);
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
    const userId = input.user ?? DEFAULT_USER;
    const responseUrl = this.newResponseUrl({ channel: channelId, user: userId });
    const triggerId = this.newTriggerId(userId);
    const body = commandForm({
      command: input.command ?? '/vps',
      text: input.text,
      userId,
      channelId,
      teamId: input.teamId ?? TEAM_ID,
      responseUrl,
      triggerId,
    });
    return { body, responseUrl, triggerId };
  }

  /**
   * Signs and sends any body to the bot, as Slack would send it: a hand-made payload, a malformed
   * one, or one another tool prepared. `options.contentType` sends JSON (an Events API callback).
   */
  send(body: string, options?: SendOptions): Promise<SendResult> {
    return sendSigned(this.nextBotUrl(), body, this.signingSecret, options);
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
    const { payload, triggerId, responseUrl } = this.prepareClick(input);
    const ack = await sendSigned(this.nextBotUrl(), payloadForm(payload), this.signingSecret, options);
    return { ...ack, triggerId, ...(responseUrl === undefined ? {} : { responseUrl }) };
  }

  /**
   * The block_actions payload a click sends, with its own trigger id (and response URL for a click in a
   * message), ready to be sent another way (an envelope over Socket Mode).
   */
  prepareClick(input: ClickInput): PreparedClick {
    const clicked: Clicked = {
      userId: input.user ?? DEFAULT_USER,
      actionId: input.actionId,
      value: input.value,
    };
    if ('view' in input) return this.clickInView(input.view, clicked);
    if ('view' in input.message) return this.clickInView(input.message.view, clicked);
    return this.clickInMessage(input.message, clicked);
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
    const userId = input.user ?? DEFAULT_USER;
    const triggerId = this.newTriggerId(userId);
    const payload = viewSubmissionPayload({ userId, triggerId, view: submitted });
    const ack = await sendSigned(this.nextBotUrl(), payloadForm(payload), this.signingSecret, options);
    if (ack.status === 200) this.applyResponseAction(id, ack.json, userId);
    return { ...ack, triggerId };
  }

  /** Where the next request goes: the next replica in turn, or the one bot. */
  private nextBotUrl(): string | undefined {
    if (this.botUrls.length === 0) return this.botUrl;
    const url = this.botUrls[this.turn % this.botUrls.length];
    this.turn += 1;
    return url;
  }

  // People, Home tabs and events

  /** Tells users.info of someone, e.g. their time zone; unregistered user ids are UTC. */
  setPerson(person: Person): void {
    this.workspace.directory.addUser(profileOf(person));
  }

  /** The Home tab the app last published for `userId` with views.publish. */
  homeView(userId: string = DEFAULT_USER): StoredView | undefined {
    return this.workspace.homes.get(userId);
  }

  /**
   * Delivers an Events API event as Slack does over HTTP: an event_callback JSON body, signed, with
   * its own event_id (Slack's retries repeat it: see redeliverEvent).
   */
  async event(event: Record<string, unknown>, options?: SendOptions): Promise<EventResult> {
    const eventId = newEventId();
    const body = JSON.stringify(eventCallback(event, eventId));
    const ack = await sendSigned(this.nextBotUrl(), body, this.signingSecret, options, 'application/json');
    return { ...ack, eventId };
  }

  /** Delivers an event again, as Slack retries one it thinks went unanswered: same body and event_id. */
  redeliverEvent(previous: EventResult, options: SendOptions = {}): Promise<SendResult> {
    return sendSigned(
      this.nextBotUrl(),
      previous.sent,
      this.signingSecret,
      { retryNum: 1, retryReason: 'http_timeout', ...options },
      'application/json',
    );
  }

  /** The person opens the app's Home tab: app_home_opened, with the view Slack holds for them if any. */
  openHome(userId: string = DEFAULT_USER, options?: SendOptions): Promise<EventResult> {
    const view = this.workspace.homes.get(userId);
    return this.event(
      {
        type: 'app_home_opened',
        user: userId,
        channel: dmWith(userId),
        tab: 'home',
        ...(view === undefined ? {} : { view }),
        event_ts: `${(Date.now() / 1000).toFixed(6)}`,
      },
      options,
    );
  }

  /** Slack's url_verification handshake; the app must answer with the challenge. */
  verifyUrl(challenge: string, options?: SendOptions): Promise<SendResult> {
    return sendSigned(
      this.nextBotUrl(),
      JSON.stringify(urlVerification(challenge)),
      this.signingSecret,
      options,
      'application/json',
    );
  }

  private clickInView(viewObject: object, clicked: Clicked): PreparedClick {
    const view = asRecord(viewObject);
    const match = findAction(Array.isArray(view.blocks) ? view.blocks : [], clicked.actionId, clicked.value);
    const triggerId = this.newTriggerId(clicked.userId);
    const state = isRecord(view.state) ? view.state : { values: {} };
    const payload = blockActionsPayload({
      userId: clicked.userId,
      triggerId,
      action: actionFor(match),
      source: { kind: 'view', view: { ...view, state } },
    });
    return { payload, triggerId };
  }

  private clickInMessage(target: MessageTarget, clicked: Clicked): PreparedClick {
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
      this.newResponseUrl(
        ephemeral
          ? { channel: target.channel, user: clicked.userId, ephemeral: ts }
          : { channel: target.channel, ts, user: clicked.userId },
      );
    const triggerId = this.newTriggerId(clicked.userId);
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
    return { payload, triggerId, responseUrl };
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

  /** What the bot's answer to a submission does to the submitter's modals, as Slack applies it. */
  private applyResponseAction(viewId: string, ack: unknown, user: string): void {
    const { modals, views } = this.workspace;
    const action = isRecord(ack) ? ack.response_action : undefined;
    if (action === 'errors') return;
    if (action === 'clear') {
      modals.clear(user);
      return;
    }
    if (isRecord(ack) && isRecord(ack.view) && action === 'update') {
      views.replace(viewId, ack.view);
      return;
    }
    if (isRecord(ack) && isRecord(ack.view) && action === 'push') {
      const pushed = views.open(ack.view, viewId);
      if (modals.top(user) === viewId) modals.push(user, pushed.id);
      return;
    }
    // A plain acknowledgement closes the view that was submitted.
    if (modals.top(user) === viewId) modals.pop(user);
  }
}
