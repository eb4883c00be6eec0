import { errorFields } from '../../log.js';
import type { ScheduledAction } from '../../pending-records.js';
import type { ApprovedResult, DecisionOutcome } from '../../service/planned.js';
import type { When } from '../../service/when.js';
import { section } from '../blocks/kit.js';
import { commandFor, confirmOutcomeText, requestOutcomeText } from '../blocks/outcomes.js';
import { approvalMessage, dateToken, scheduledMessage } from '../blocks/plans.js';
import { confirmPrompt, notice } from '../blocks/prompts.js';
import { escapeText, mention } from '../blocks/text.js';
import type { PlanNotices } from '../plan-notices.js';
import type { HandlerDeps, Interaction } from './context.js';

/** Scheduled changes (`at`, `in`, `for`, `/vps scheduled`, Cancel) and the Approve and Reject buttons. */
export class PlanRequests {
  readonly #deps: HandlerDeps;
  readonly #notices: PlanNotices;

  constructor(deps: HandlerDeps, notices: PlanNotices) {
    this.#deps = deps;
    this.#notices = notices;
  }

  async schedule(ix: Interaction, action: ScheduledAction, server: string, when: When): Promise<void> {
    const outcome = await this.#deps.service.requestScheduled(ix.actor, action, server, when);
    if (outcome.kind === 'confirm') return ix.reply.ephemeral(confirmPrompt(outcome.confirmation));
    const text = requestOutcomeText(outcome, this.#deps.now());
    if (text) await ix.reply.ephemeral(notice(text));
  }

  async list(ix: Interaction): Promise<void> {
    const pending = await this.#deps.service.pendingSchedules();
    await ix.reply.ephemeral(scheduledMessage(pending, this.#deps.now()));
  }

  async cancel(ix: Interaction, id: string): Promise<void> {
    const outcome = await this.#deps.service.cancelSchedule(ix.actor, id);
    switch (outcome.kind) {
      case 'unknown':
        return ix.reply.ephemeral(
          notice('The bot does not know this schedule. `/vps scheduled` lists what is pending.'),
        );
      case 'forbidden':
        return ix.reply.ephemeral(
          notice(
            `Only ${mention(outcome.schedule.by.userId)}, who scheduled it, or an operator may cancel it. Nothing changed.`,
          ),
        );
      case 'taken': {
        const state = {
          running: 'is running now',
          done: 'already ran',
          cancelled: 'was already cancelled',
          missed: 'was missed',
          interrupted: 'was interrupted',
          pending: 'is pending',
        }[outcome.schedule.state];
        return ix.reply.ephemeral(notice(`That scheduled change ${state}: nothing to cancel.`));
      }
      case 'cancelled': {
        const pending = await this.#deps.service.pendingSchedules();
        const list = scheduledMessage(pending, this.#deps.now());
        const name = escapeText(outcome.schedule.serverName);
        list.blocks.unshift(
          section(
            `Cancelled the ${outcome.schedule.action} of *${name}* set for ${dateToken(outcome.schedule.at)}.`,
          ),
        );
        return ix.reply.replace(list);
      }
    }
  }

  async decide(ix: Interaction, id: string, verdict: 'approved' | 'rejected'): Promise<void> {
    const outcome = await this.#deps.service.decideApproval(ix.actor, id, verdict);
    if (outcome.kind === 'unknown') {
      return ix.reply.ephemeral(
        notice('The bot does not know this approval request. Nothing was sent to VPS.org.'),
      );
    }
    const { approval } = outcome;
    if (outcome.kind !== 'forbidden' && outcome.kind !== 'own') {
      // Decided now, decided before, or expired: the request in the channel shows it.
      if (approval.message) await this.#notices.refresh(approval);
      else await ix.reply.replace(approvalMessage(approval, this.#deps.now()));
    }
    await ix.reply.ephemeral(notice(this.#decisionText(outcome)));
    if (outcome.kind === 'approved' && outcome.result.kind !== 'done' && approval.message) {
      await this.#deps.client.chat
        .postMessage({
          channel: approval.message.channel,
          thread_ts: approval.message.ts,
          ...notice(this.#resultText(outcome.result, approval.server?.name ?? '')),
        })
        .catch((error: unknown) =>
          this.#deps.logger.warn(errorFields(error), 'could not post an approval result'),
        );
    }
  }

  #decisionText(outcome: Exclude<DecisionOutcome, { kind: 'unknown' }>): string {
    const { approval } = outcome;
    const name = approval.server?.name ?? '';
    switch (outcome.kind) {
      case 'forbidden':
        return 'Only operators may approve or reject changes, and you are not one. Nothing changed.';
      case 'own':
        return `You asked for this yourself: another operator must approve or reject it. Nothing changed.`;
      case 'decided': {
        const decision = approval.decision;
        const how = decision?.verdict === 'rejected' ? 'rejected' : 'approved';
        return `This was already ${how} by ${mention(decision?.by ?? '')}. Nothing more was done.`;
      }
      case 'expired':
        return `This approval request expired ${dateToken(approval.expiresAt)}. Nothing was sent to VPS.org; ${mention(approval.requester.userId)} can run \`${commandFor(approval.request, name)}\` again.`;
      case 'rejected':
        return `Rejected. Nothing was sent to VPS.org; ${mention(approval.requester.userId)} sees it on the request.`;
      case 'approved':
        return `Approved. ${this.#resultText(outcome.result, name)}`;
    }
  }

  #resultText(result: ApprovedResult, serverName: string): string {
    const name = `*${escapeText(serverName)}*`;
    switch (result.kind) {
      case 'gone':
        return `${name} no longer exists. Nothing was sent to VPS.org.`;
      case 'changed':
        return `${name} changed since it was asked: ${result.changes.map(escapeText).join('; ')}. Nothing was sent to VPS.org.`;
      case 'too_late':
        return 'Its scheduled time passed while it waited for approval. Nothing was scheduled or sent.';
      case 'done':
        return result.change.announced
          ? 'The change is under way: its card in the channel follows it.'
          : confirmOutcomeText(result, this.#deps.now());
      default:
        return requestOutcomeText(result, this.#deps.now()) ?? confirmOutcomeText(result, this.#deps.now());
    }
  }
}
