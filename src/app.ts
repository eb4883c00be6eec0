import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { Config } from './config.js';
import { Health, healthRoute } from './health.js';
import { InFlight } from './inflight.js';
import { errorFields, type Logger, slackLogger } from './log.js';
import { AccessPolicy } from './service/access.js';
import { Approvals } from './service/approvals.js';
import { AuditTrail } from './service/audit.js';
import { ChangeClaims } from './service/claims.js';
import { Confirmations } from './service/confirmations.js';
import { Leadership } from './service/leadership.js';
import { Scheduler } from './service/scheduler.js';
import { ServerService } from './service/service.js';
import { Subscriptions } from './service/subscriptions.js';
import { TimeZones } from './service/time-zones.js';
import { Tracker } from './service/tracker.js';
import { FleetWatch, type NoticeSink } from './service/watch.js';
import { ChannelNotices } from './slack/channel-notices.js';
import { Deliveries } from './slack/deliveries.js';
import { Actions } from './slack/handlers/actions.js';
import { ChangeRequests } from './slack/handlers/change-requests.js';
import { Commands } from './slack/handlers/commands.js';
import type { HandlerDeps } from './slack/handlers/context.js';
import { Forms } from './slack/handlers/forms.js';
import { Lookups } from './slack/handlers/lookups.js';
import { PlanRequests } from './slack/handlers/plans.js';
import { SubscriptionCommands } from './slack/handlers/subscription-commands.js';
import { HomeTabs } from './slack/home.js';
import { HomeReplies } from './slack/home-replies.js';
import { registerHomeListener } from './slack/listeners/home.js';
import { registerListeners } from './slack/listeners/register.js';
import { LiveCards } from './slack/live.js';
import { PlanNotices } from './slack/plan-notices.js';
import { requestAbout } from './slack/receiver/about.js';
import { createHttpReceiver } from './slack/receiver/http.js';
import { type ReplyRetry, responseUrlPoster } from './slack/response-url.js';
import { slackRequests } from './slack/slack-requests.js';
import { slackTokenWatch } from './slack/token-health.js';
import { type RateLimitPolicy, SlackClient } from './slack/web-client.js';
import { MemoryStore } from './store/memory.js';
import type { StateStore } from './store/store.js';
import { VpsClient, type VpsClientOptions } from './vps/client.js';

export interface BotOptions {
  config: Config;
  logger: Logger;
  /** Where state lives; in memory when not given (tests, throwaway runs). */
  store?: StateStore;
  now?: () => number;
  /** Tests shorten VPS.org's backoff; production keeps ky's. */
  vpsRetry?: VpsClientOptions['retry'];
  /** Slack Web API retries; a deliberate few, never the WebClient's ~30 minutes default. */
  slackRetries?: number;
  /** How a rate-limited Web API call waits out Slack's Retry-After. */
  slackRateLimit?: RateLimitPolicy;
  /** Retries of a reply to a response_url; tests shorten the backoff. */
  replyRetry?: ReplyRetry;
  /** How long a shutdown waits for work under way. */
  drainMs?: number;
  /** Provisioning cards refresh their elapsed time this often. */
  progressEveryMs?: number;
  /** The interface the HTTP receiver binds (the playground: 127.0.0.1); every interface when not given. */
  host?: string;
  /** How often the scheduler looks for schedules whose time came (default 1 s). */
  scheduleTickMs?: number;
  /** At most one Home tab publish a person per window (default 3 s). */
  homeWindowMs?: number;
}

export interface Bot {
  readonly app: App;
  readonly service: ServerService;
  readonly tracker: Tracker;
  readonly watch: FleetWatch;
  /** The lease that makes one replica run the tracker, the fleet watch and the scheduler (always this one, alone). */
  readonly leadership: Leadership;
  readonly scheduler: Scheduler;
  readonly home: HomeTabs;
  readonly inflight: InFlight;
  /** What `/healthz` answers; other parts add their own conditions. */
  readonly health: Health;
  /** Connects to Slack (auth.test), resumes tracking, listens; answers the HTTP port when in HTTP mode. */
  start(): Promise<{ port: number | undefined }>;
  /** Stops taking requests, lets work under way finish (bounded), closes the store. */
  stop(): Promise<void>;
}

/** Requests to Slack under way at once, like those to VPS.org. */
const MAX_REQUESTS_TO_SLACK = 32;

/** Builds the whole bot: a Bolt app with its listeners, the service and its parts. No side effects. */
export function createBot(options: BotOptions): Bot {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const store = options.store ?? new MemoryStore();
  const health = new Health();
  health.fail(SERVING, 'starting');
  health.probe(STORE_CONDITION, () => (store.healthy ? undefined : 'the state store cannot be reached'));

  // Web API calls and replies to response_urls alike: when one answer from VPS.org serves a storm of
  // lookups, its replies wait their turn instead of opening thousands of connections at once.
  const toSlack = slackRequests(MAX_REQUESTS_TO_SLACK);
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: options.slackRetries ?? 3, factor: 2, minTimeout: 300, maxTimeout: 3000 },
    timeout: 10_000,
    fetch: toSlack.fetch,
  };
  const boltLogger = slackLogger(logger);
  const customRoutes = [healthRoute(health)];
  const app = new App({
    token: config.slack.botToken,
    ...(config.slack.appToken
      ? { appToken: config.slack.appToken, socketMode: true, port: config.slack.port, customRoutes }
      : {
          receiver: createHttpReceiver({
            signingSecret: config.slack.signingSecret ?? '',
            port: config.slack.port,
            customRoutes,
            logger,
            boltLogger,
            now,
          }),
        }),
    deferInitialization: true,
    // The bot keeps no per-conversation state; Bolt's default store would cost every request.
    convoStore: false,
    // The error handler gets the request's body, for the context of its log line.
    extendedErrorHandler: true,
    logger: boltLogger,
    clientOptions,
  });
  // The last net under Bolt's listeners and middleware: each listener catches its own failures.
  app.error(async ({ error, body }: ExtendedErrorArgs) => {
    logger.error({ ...errorFields(error), code: error.code, ...requestAbout(body) }, 'unhandled Bolt error');
  });
  // Every Web API call the bot makes goes through this client (Bolt's own app.client only checks
  // the token at start): per-call rate-limit waits, and the token's health from every answer.
  const slack = new SlackClient(config.slack.botToken, {
    ...clientOptions,
    logger: boltLogger,
    rateLimit: options.slackRateLimit ?? { retries: 3, maxWaitMs: 30_000 },
    onCall: slackTokenWatch(health, logger),
  });

  const vps = new VpsClient({
    baseUrl: config.vps.apiUrl,
    token: config.vps.apiToken,
    timeoutMs: config.vps.timeoutMs,
    retry: options.vpsRetry,
  });
  const post = responseUrlPoster(options.replyRetry, toSlack.run);
  const live = new LiveCards(slack, logger, now, post);
  // On taking the lease, this replica picks up the group's tracker, fleet watch and scheduler.
  const leadership: Leadership = new Leadership({
    store,
    logger,
    ttlMs: config.leaseMs,
    onGained: async () => {
      const resumed = await tracker.resume();
      if (resumed > 0) logger.info({ resumed }, 'following servers again');
      await Promise.all([watch.takeOver(), scheduler.takeOver()]);
    },
  });
  // The tracker and the watch know of each other: a settled server is the bot's own change, and a
  // followed server is not the watch's to announce.
  const tracker: Tracker = new Tracker({
    vps,
    store,
    logger,
    events: {
      progress: async (change, server) => {
        home.changed();
        await live.progress(change, server);
      },
      settled: async (change, server) => {
        home.changed();
        await live.settled(change, server);
      },
      stuck: async (change, server) => {
        home.changed();
        await live.stuck(change, server);
      },
    },
    // The card settles whatever the watch's bookkeeping does: at worst the watch tells it once more.
    beforeDrop: (change, server) =>
      watch
        .noteOwnChange(change.serverId, server)
        .catch((error: unknown) =>
          logger.error(
            { ...errorFields(error), server_id: change.serverId },
            'could not tell the fleet watch of a settled change',
          ),
        ),
    pollMs: config.pollMs,
    now,
    leader: leadership,
    ...(options.progressEveryMs === undefined ? {} : { progressEveryMs: options.progressEveryMs }),
  });
  const watch: FleetWatch = new FleetWatch({
    vps,
    store,
    logger,
    sink: homeAware(new ChannelNotices(slack), () => home.changed()),
    notifyChannel: config.notifyChannel,
    watchMs: config.watchMs,
    now,
    leader: leadership,
  });
  const access = new AccessPolicy({
    operators: config.operators,
    groups: { members: (group) => usergroupMembers(slack, group) },
    logger,
    now,
  });
  const audit = new AuditTrail(store, logger, now, () => home.changed());
  const planNotices = new PlanNotices(slack, logger, now, config.scheduleGraceMs);
  const service = new ServerService({
    vps,
    access,
    audit,
    confirmations: new Confirmations(store, now),
    claims: new ChangeClaims(store, logger, now),
    tracker,
    events: live,
    watch,
    approvals: new Approvals({
      store,
      required: config.approval.required,
      ttlMs: config.approval.ttlMs,
      now,
    }),
    approvalEvents: planNotices,
    store,
    scheduleEvents: planNotices,
    zones: new TimeZones({ directory: { zoneOf: (user) => userZone(slack, user) }, logger, now }),
    logger,
    now,
  });
  const scheduler: Scheduler = new Scheduler({
    store,
    logger,
    handlers: service.scheduleHandlers,
    graceMs: config.scheduleGraceMs,
    ...(options.scheduleTickMs === undefined ? {} : { tickMs: options.scheduleTickMs }),
    now,
    leader: leadership,
  });
  const home: HomeTabs = new HomeTabs({
    service,
    client: slack,
    logger,
    now,
    ...(options.homeWindowMs === undefined ? {} : { windowMs: options.homeWindowMs }),
  });
  const subscriptions = new Subscriptions({
    store,
    service,
    audit,
    watch,
    notifyChannel: config.notifyChannel,
    now,
  });

  const deps: HandlerDeps = { service, client: slack, logger, now };
  const lookups = new Lookups(deps);
  const changes = new ChangeRequests(deps);
  const forms = new Forms(deps);
  const plans = new PlanRequests(deps, planNotices);
  const inflight = new InFlight();
  const deliveries = new Deliveries(store, logger, now);
  registerListeners(app, {
    commands: new Commands(deps, {
      lookups,
      changes,
      forms,
      subscriptions: new SubscriptionCommands(subscriptions),
      plans,
    }),
    actions: new Actions(deps, lookups, changes, forms, { plans, home }),
    forms,
    deliveries,
    inflight,
    post,
    logger,
    homeReplies: new HomeReplies(slack, logger, config.notifyChannel),
    screenedByReceiver: !config.slack.appToken,
  });
  registerHomeListener(app, { home, deliveries, inflight, logger });

  return {
    app,
    service,
    tracker,
    watch,
    leadership,
    scheduler,
    home,
    inflight,
    health,
    async start() {
      await app.init();
      await watch.start();
      await scheduler.start();
      // Taking the lease resumes the tracker, the watch and the scheduler; a store out of reach only
      // delays that.
      await leadership.start();
      await leadership.settled();
      const port = config.slack.port;
      const server = await app.start(options.host === undefined ? port : { port, host: options.host });
      health.pass(SERVING);
      if (access.open) logger.warn('VPS_OPERATORS is unset: everyone in the workspace may change servers');
      const address = server?.address?.() as AddressInfo | string | null | undefined;
      return { port: typeof address === 'object' && address ? address.port : undefined };
    },
    async stop() {
      health.fail(SERVING, 'stopping');
      // A card waiting out a rate limit gives up now rather than hold the shutdown for Retry-After.
      slack.stopWaiting();
      await app.stop().catch((error: unknown) => logger.warn(errorFields(error), 'stopping the receiver'));
      await Promise.all([tracker.stop(), watch.stop(), scheduler.stop(), home.stop()]);
      const finished = await inflight.drain(options.drainMs ?? 10_000);
      if (!finished) logger.warn({ unfinished: inflight.size }, 'stopped with work still under way');
      // Given up only once nothing of this replica can write under it: another takes over at once.
      await leadership.stop();
      await store.close();
    },
  };
}

/** What Bolt's error handler gets with `extendedErrorHandler` (the last of `app.error`'s overloads). */
type ExtendedErrorArgs = Parameters<Parameters<App['error']>[0]>[0];

/** The health condition that says whether the bot takes requests: not before start, not while stopping. */
const SERVING = 'serving';
/** Fails while the store cannot be reached: changes are refused, and a load balancer may look elsewhere. */
const STORE_CONDITION = 'state_store';

async function userZone(client: SlackClient, user: string): Promise<string | undefined> {
  const answer = await client.users.info({ user });
  return answer.user?.tz;
}

/** The fleet watch's notices also refresh the Home tabs that show the fleet. */
function homeAware(sink: NoticeSink, changed: () => void): NoticeSink {
  return {
    post: (channel, notice) => {
      changed();
      return sink.post(channel, notice);
    },
    update: (ref, notice) => {
      changed();
      return sink.update(ref, notice);
    },
  };
}

async function usergroupMembers(client: SlackClient, usergroup: string): Promise<string[]> {
  const answer = await client.usergroups.users.list({ usergroup });
  return answer.users ?? [];
}
