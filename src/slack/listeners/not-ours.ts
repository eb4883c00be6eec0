import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { requestAbout } from '../receiver/about.js';
import { screenBody } from '../receiver/screen.js';

/**
 * Global middleware, before every listener: what is not the bot's, or not in the shape its
 * listeners read, is acked (so Slack neither waits nor retries) and logged, and goes no further.
 * Over HTTP the request gate has already answered these; in Socket Mode this is the check.
 */
export function ackWhatIsNotOurs(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const screened = screenBody(args.body);
    if (screened.verdict === 'ours' || screened.verdict === 'slack') return args.next();
    // Events API requests are acked by Bolt itself and carry no ack.
    if ('ack' in args && args.ack) await args.ack();
    if (screened.verdict === 'malformed') {
      logger.warn({ ...requestAbout(args.body), problem: screened.problem }, 'rejected a malformed request');
    } else {
      logger.info(requestAbout(args.body), 'ignored a request the bot does not handle');
    }
  };
}
