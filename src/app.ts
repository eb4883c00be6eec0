import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type webApi } from '@slack/bolt';
import type { Config } from './config.js';
import { InFlight } from './inflight.js';
import { errorFields, type Logger, slackLogger } from './log.js';
import { AccessPolicy } from './service/access.js';
import { AuditTrail } from './service/audit.js';
import { ChangeClaims } from './service/claims.js';
import { Confirmations } from './service/confirmations.js';
import { Leadership } from './service/leadership.js';
import { ServerService } from './service/service.js';
import { Subscriptions } from './service/subscriptions.js';
import { Tracker } from './service/tracker.js';
import { FleetWatch } from './service/watch.js';
import { ChannelNotices } from './slack/channel-notices.js';
import { Deliveries } from './slack/deliveries.js';
import { Actions } from './slack/handlers/actions.js';
import { ChangeRequests } from './slack/handlers/change-requests.js';
import { Commands } from './slack/handlers/commands.js';
import type { HandlerDeps } from './slack/handlers/context.js';
import { Forms } from './slack/handlers/forms.js';
import { Lookups } from './slack/handlers/lookups.js';
import { SubscriptionCommands } from './slack/handlers/subscription-commands.js';
import { registerListeners } from './slack/listeners/register.js';
import { LiveCards } from './slack/live.js';
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
  /** How long a shutdown waits for work under way. */
  drainMs?: number;
  /** Provisioning cards refresh their elapsed time this often. */
  progressEveryMs?: number;
}

export interface Bot {
  readonly app: App;
  readonly service: ServerService;
  readonly tracker: Tracker;
  readonly watch: FleetWatch;
  /** The lease that makes one replica run the tracker and the fleet watch (always this one, alone). */
  readonly leadership: Leadership;
  readonly inflight: InFlight;
  /** Connects to Slack (auth.test), resumes tracking, listens; answers the HTTP port when in HTTP mode. */
  start(): Promise<{ port: number | undefined }>;
  /** Stops taking requests, lets work under way finish (bounded), closes the store. */
  stop(): Promise<void>;
}

/** Builds the whole bot: a Bolt app with its listeners, the service and its parts. No side effects. */
export function createBot(options: BotOptions): Bot {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const store = options.store ?? new MemoryStore();
  let ready = false;

  const app = new App({
    token: config.slack.botToken,
    ...(config.slack.appToken
      ? { appToken: config.slack.appToken, socketMode: true }
      : { signingSecret: config.slack.signingSecret ?? '' }),
    port: config.slack.port,
    deferInitialization: true,
    // The bot keeps no per-conversation state; Bolt's default store would cost every request.
    convoStore: false,
    logger: slackLogger(logger),
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries: options.slackRetries ?? 3, factor: 2, minTimeout: 300, maxTimeout: 3000 },
      timeout: 10_000,
    },
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req: IncomingMessage, res: ServerResponse) => {
          const ok = ready && store.healthy;
          res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok }));
        },
      },
    ],
  });
  app.error(async (error) => {
    logger.error({ ...errorFields(error), code: (error as { code?: string }).code }, 'unhandled Bolt error');
  });

  const vps = new VpsClient({
    baseUrl: config.vps.apiUrl,
    token: config.vps.apiToken,
    timeoutMs: config.vps.timeoutMs,
    retry: options.vpsRetry,
  });
  const live = new LiveCards(app.client, logger, now);
  const leadership: Leadership = new Leadership({
    store,
    logger,
    ttlMs: config.leaseMs,
    onGained: async () => {
      const resumed = await tracker.resume();
      if (resumed > 0) logger.info({ resumed }, 'following servers again');
      await watch.refresh();
    },
  });
  // The tracker and the watch know of each other: a settled server is the bot's own change, and a
  // followed server is not the watch's to announce.
  const tracker: Tracker = new Tracker({
    vps,
    store,
    logger,
    events: live,
    beforeDrop: (change, server) => watch.noteOwnChange(change.serverId, server),
    pollMs: config.pollMs,
    now,
    leader: leadership,
    ...(options.progressEveryMs === undefined ? {} : { progressEveryMs: options.progressEveryMs }),
  });
  const watch: FleetWatch = new FleetWatch({
    vps,
    store,
    logger,
    sink: new ChannelNotices(app.client),
    notifyChannel: config.notifyChannel,
    watchMs: config.watchMs,
    now,
    leader: leadership,
  });
  const access = new AccessPolicy({
    operators: config.operators,
    groups: { members: (group) => usergroupMembers(app.client, group) },
    logger,
    now,
  });
  const audit = new AuditTrail(store, logger, now);
  const service = new ServerService({
    vps,
    access,
    audit,
    confirmations: new Confirmations(store, now),
    claims: new ChangeClaims(store, logger, now),
    tracker,
    events: live,
    watch,
    logger,
    now,
  });
  const subscriptions = new Subscriptions({
    store,
    service,
    audit,
    watch,
    notifyChannel: config.notifyChannel,
    now,
  });

  const deps: HandlerDeps = { service, client: app.client, logger, now };
  const lookups = new Lookups(deps);
  const changes = new ChangeRequests(deps);
  const forms = new Forms(deps);
  const inflight = new InFlight();
  registerListeners(app, {
    commands: new Commands(deps, {
      lookups,
      changes,
      forms,
      subscriptions: new SubscriptionCommands(subscriptions),
    }),
    actions: new Actions(deps, lookups, changes, forms),
    forms,
    deliveries: new Deliveries(store, logger, now),
    inflight,
    logger,
  });

  return {
    app,
    service,
    tracker,
    watch,
    leadership,
    inflight,
    async start() {
      await app.init();
      // Taking the lease resumes the tracker and the watch; a store out of reach only delays that.
      await leadership.start();
      await watch.start();
      const server = await app.start(config.slack.port);
      ready = true;
      if (access.open) logger.warn('VPS_OPERATORS is unset: everyone in the workspace may change servers');
      const address = server?.address?.() as AddressInfo | string | null | undefined;
      return { port: typeof address === 'object' && address ? address.port : undefined };
    },
    async stop() {
      ready = false;
      await app.stop().catch((error: unknown) => logger.warn(errorFields(error), 'stopping the receiver'));
      await Promise.all([tracker.stop(), watch.stop()]);
      const finished = await inflight.drain(options.drainMs ?? 10_000);
      if (!finished) logger.warn({ unfinished: inflight.size }, 'stopped with work still under way');
      // Given up only once nothing of this replica can write under it: another takes over at once.
      await leadership.stop();
      await store.close();
    },
  };
}

async function usergroupMembers(client: webApi.WebClient, usergroup: string): Promise<string[]> {
  const answer = await client.usergroups.users.list({ usergroup });
  return answer.users ?? [];
}
