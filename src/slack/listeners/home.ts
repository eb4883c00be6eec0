import { setImmediate as yieldToAcks } from 'node:timers/promises';
import type { App } from '@slack/bolt';
import type { InFlight } from '../../inflight.js';
import type { Logger } from '../../log.js';
import type { Deliveries } from '../deliveries.js';
import type { HomeTabs } from '../home.js';
import { HOME_OPENED } from '../ids.js';

/** app_home_opened: Bolt acks events at once; a repeated delivery (same event_id) is dropped. */
export function registerHomeListener(
  app: App,
  {
    home,
    deliveries,
    inflight,
    logger,
  }: { home: HomeTabs; deliveries: Deliveries; inflight: InFlight; logger: Logger },
): void {
  app.event(HOME_OPENED, async ({ event, body, context }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    await inflight.run(async () => {
      await yieldToAcks();
      // Asked of the store, which the other replicas share: a retry reaching another one is dropped too.
      if (!(await deliveries.firstTime(body.event_id))) {
        return logger.info({ retry: context.retryNum, user: event.user }, 'repeated delivery ignored');
      }
      await home.opened(event.user);
    });
  });
}
