import { setImmediate as yieldToAcks } from 'node:timers/promises';
import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { InFlight } from '../../inflight.js';
import { errorFields, type Logger } from '../../log.js';
import type { Deliveries } from '../deliveries.js';
import type { Actions } from '../handlers/actions.js';
import type { Commands } from '../handlers/commands.js';
import { type Interaction, replyVia } from '../handlers/context.js';
import type { Forms, Submission } from '../handlers/forms.js';

export interface Listeners {
  commands: Commands;
  actions: Actions;
  forms: Forms;
  deliveries: Deliveries;
  inflight: InFlight;
  logger: Logger;
}

/**
 * Every listener acks first, drops a repeated delivery, and only then works: nothing it does may
 * delay the ack, even when VPS.org hangs. The work also waits one turn of the event loop, so that
 * requests already arrived are acked before this one's work takes the CPU.
 */
export function registerListeners(
  app: App,
  { commands, actions, forms, deliveries, inflight, logger }: Listeners,
) {
  app.command('/vps', async ({ command, ack, respond, context }) => {
    await ack();
    if (!(await deliveries.firstTime(command.trigger_id))) {
      return logger.info({ retry: context.retryNum, user: command.user_id }, 'repeated delivery ignored');
    }
    const ix: Interaction = {
      actor: {
        userId: command.user_id,
        teamId: command.team_id,
        channelId: command.channel_id,
        replyUrl: command.response_url,
      },
      reply: replyVia(respond, logger),
      triggerId: command.trigger_id,
    };
    await inflight.run(async () => {
      await yieldToAcks();
      await commands.handle(ix, command.text);
    });
  });

  app.action<BlockAction>(/^vps\./, async ({ body, action, ack, respond, context }) => {
    await ack();
    if (!(await deliveries.firstTime(body.trigger_id))) {
      return logger.info({ retry: context.retryNum, user: body.user.id }, 'repeated delivery ignored');
    }
    const ix: Interaction = {
      actor: {
        userId: body.user.id,
        teamId: body.team?.id ?? body.user.team_id,
        channelId: body.channel?.id,
        replyUrl: body.response_url,
      },
      reply: replyVia(respond, logger),
      triggerId: body.trigger_id,
    };
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const ephemeral = body.container?.is_ephemeral === true;
    await inflight.run(async () => {
      await yieldToAcks();
      await actions.handle(ix, { actionId: action.action_id, value, ephemeral });
    });
  });

  app.view<ViewSubmitAction>(/^vps\./, async ({ body, view, ack, context }) => {
    if (!(await deliveries.firstTime(body.trigger_id))) {
      await ack();
      return logger.info({ retry: context.retryNum, user: body.user.id }, 'repeated delivery ignored');
    }
    const actor = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id };
    const submission = await forms.submit(view, actor).catch((error: unknown): Submission => {
      logger.error(errorFields(error), 'form submission failed');
      return {};
    });
    await ack(submission.ack);
    if (submission.after) await inflight.run(submission.after);
  });
}
