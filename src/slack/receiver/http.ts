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

/**
 * Bolt's HTTP receiver, as Bolt would build it, with the request gate in front of its listener: the
 * gate verifies and screens each request, so Bolt does not verify it again.
 */
export function createHttpReceiver(options: HttpReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: [ENDPOINT],
    port: options.port,
    customRoutes: options.customRoutes,
    logger: options.boltLogger,
    // The gate below verifies every request to the endpoint before Bolt sees it (ssl_check bodies
    // stripped as Bolt strips them): a second HMAC of the same body would only delay the ack.
    signatureVerification: false,
  });
  receiver.requestListener = gateSlackRequests(receiver.requestListener, {
    signingSecret: options.signingSecret,
    endpoint: ENDPOINT,
    logger: options.logger,
    now: options.now,
  });
  return receiver;
}
