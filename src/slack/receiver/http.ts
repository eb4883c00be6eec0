import { HTTPReceiver, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { gateSlackRequests } from './gate.js';

type CustomRoutes = NonNullable<ConstructorParameters<typeof HTTPReceiver>[0]['customRoutes']>;

export interface HttpReceiverOptions {
  signingSecret: string;
  port: number;
  customRoutes: CustomRoutes;
  logger: Logger;
  /** Bolt's own lines, through ours. */
  boltLogger: SlackLogger;
  now: () => number;
}

const ENDPOINT = '/slack/events';

/** Bolt's HTTP receiver, as Bolt would build it, with the request gate in front of its listener. */
export function createHttpReceiver(options: HttpReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: [ENDPOINT],
    port: options.port,
    customRoutes: options.customRoutes,
    logger: options.boltLogger,
  });
  receiver.requestListener = gateSlackRequests(receiver.requestListener, {
    signingSecret: options.signingSecret,
    endpoint: ENDPOINT,
    logger: options.logger,
    now: options.now,
  });
  return receiver;
}
