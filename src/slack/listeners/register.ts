import { setImmediate as yieldToAcks } from 'node:timers/promises';
import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { InFlight } from '../../inflight.js';
import type { Logger } from '../../log.js';
import type { Deliveries } from '../deliveries.js';
import type { Actions } from '../handlers/actions.js';
import type { Commands } from '../handlers/commands.js';
import { type Interaction, replyThrough } from '../handlers/context.js';
import type { Forms } from '../handlers/forms.js';
import type { HomeReplies } from '../home-replies.js';
import { COMMAND, OWN_ID } from '../ids.js';
import type { RequestAbout } from '../receiver/about.js';
import type { PostToResponseUrl } from '../response-url.js';
import { afterAck } from './after-ack.js';
import { ackWhatIsNotOurs } from './not-ours.js';

export interface Listeners {
  commands: Commands;
  actions: Actions;
  forms: Forms;
  deliveries: Deliveries;
  inflight: InFlight;
  /** Replies to the person go through the request's response_url with it. */
  post: PostToResponseUrl;
  logger: Logger;
  /** Answers to clicks on the Home tab, which have no response_url. */
  homeReplies: HomeReplies;
  /**
   * The receiver's gate has already screened every body (HTTP mode): the same check again in
   * middleware would only delay each ack. Socket Mode has no gate, and the middleware screens.
   */
  screenedByReceiver: boolean;
}

/**
 * Every listener acks first, drops a repeated delivery, and only then works: nothing it does may
 * delay the ack, even when VPS.org hangs. The work also waits one turn of the event loop, so that
 * requests already arrived are acked before this one's work takes the CPU. Bodies reach these
 * listeners screened (src/slack/receiver/): the fields they read are there.
 */
export function registerListeners(
  app: App,
  {
    commands,
    actions,
    forms,
    deliveries,
    inflight,
    post,
    logger,
    homeReplies,
    screenedByReceiver,
  }: Listeners,
) {
  if (!screenedByReceiver) app.use(ackWhatIsNotOurs(logger));

  app.command(COMMAND, async ({ command, ack, context }) => {
    await ack();
    if (!(await deliveries.firstTime(command.trigger_id))) {
      return logger.info({ retry: context.retryNum, user: command.user_id }, 'repeated delivery ignored');
    }
    const about: RequestAbout = { request: 'slash_command', user: command.user_id, command: COMMAND };
    const ix: Interaction = {
      actor: {
        userId: command.user_id,
        teamId: command.team_id,
        channelId: command.channel_id,
        replyUrl: command.response_url,
      },
      reply: replyThrough(command.response_url, post, logger),
      triggerId: command.trigger_id,
      about,
    };
    // Not awaited (tracked for shutdown all the same): Bolt lets go of the request at once instead of
    // holding it until the reply, which a storm of commands waiting for one answer pays for in memory.
    const { text } = command;
    void afterAck(inflight, logger, ix, async () => {
      await yieldToAcks();
      await commands.handle(ix, text);
    });
  });

  app.action<BlockAction>(OWN_ID, async ({ body, action, ack, context }) => {
    await ack();
    if (!(await deliveries.firstTime(body.trigger_id))) {
      return logger.info({ retry: context.retryNum, user: body.user.id }, 'repeated delivery ignored');
    }
    const about: RequestAbout = { request: 'block_actions', user: body.user.id, action_id: action.action_id };
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const ephemeral = body.container?.is_ephemeral === true;
    // A click on the Home tab has no response_url: its answers go where HomeReplies says.
    const fromHome = body.view?.type === 'home';
    const userId = body.user.id;
    const teamId = body.team?.id ?? body.user.team_id;
    const channel = body.channel?.id;
    const responseUrl = body.response_url;
    const triggerId = body.trigger_id;
    const clicked = { actionId: action.action_id, value, ephemeral };
    const request: { about: RequestAbout; reply?: Interaction['reply'] } = { about };
    // Not awaited, like a command's work: only these few strings stay, not the whole payload.
    void afterAck(inflight, logger, request, async () => {
      await yieldToAcks();
      const channelId = fromHome ? await homeReplies.channelFor(userId) : channel;
      const ix: Interaction = {
        actor: { userId, teamId, channelId, replyUrl: responseUrl },
        reply: fromHome ? homeReplies.replyFor(userId, channelId) : replyThrough(responseUrl, post, logger),
        triggerId,
        about,
      };
      request.reply = ix.reply;
      await actions.handle(ix, clicked);
    });
  });

  app.view<ViewSubmitAction>(OWN_ID, async ({ body, view, ack, context }) => {
    if (!(await deliveries.firstTime(body.trigger_id))) {
      await ack();
      return logger.info({ retry: context.retryNum, user: body.user.id }, 'repeated delivery ignored');
    }
    const about: RequestAbout = {
      request: 'view_submission',
      user: body.user.id,
      callback_id: view.callback_id,
    };
    const actor = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id };
    // All of it is work under way, the answer included: a shutdown waits for it. A submission that
    // fails says so in the modal (Forms.submit), never closes it as if all went well.
    await afterAck(inflight, logger, { about }, async () => {
      const submission = await forms.submit(view, actor);
      await ack(submission.ack);
      await submission.after?.();
    });
  });
}
