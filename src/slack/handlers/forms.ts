import type { ViewOutput, ViewResponseAction } from '@slack/bolt';
import { INPUT_LIMITS } from '../../input-limits.js';
import { errorFields } from '../../log.js';
import type { Actor } from '../../records.js';
import { StoreUnavailableError } from '../../store/errors.js';
import { VpsError } from '../../vps/errors.js';
import {
  type CreateServerInput,
  checkInput,
  createServerInputSchema,
  idSchema,
  parseId,
  type UpdateServerInput,
  updateServerInputSchema,
} from '../../vps/inputs.js';
import type { Server } from '../../vps/schemas.js';
import type { ModalView } from '../blocks/kit.js';
import {
  createFormView,
  decodeOrigin,
  deleteView,
  editFormView,
  type FormOrigin,
  loadingView,
  messageView,
  reviewView,
} from '../blocks/modals.js';
import { ambiguousText, confirmOutcomeText, missingText, requestOutcomeText } from '../blocks/outcomes.js';
import { createPreview, notice } from '../blocks/prompts.js';
import { errorSentence, FORBIDDEN } from '../blocks/sentences.js';
import { echoed, escapeText } from '../blocks/text.js';
import { INPUT, VIEW } from '../ids.js';
import type { HandlerDeps, Interaction } from './context.js';
import { oversizedFields } from './form-input.js';

/** What a view submission answers at once (the ack), and the work that follows it. */
export interface Submission {
  ack?: ViewResponseAction;
  after?: () => Promise<void>;
}

type Values = ViewOutput['state']['values'];

function text(values: Values, block: string): string {
  return values[block]?.[INPUT.value]?.value?.trim() ?? '';
}

function selected(values: Values, block: string): string {
  return values[block]?.[INPUT.value]?.selected_option?.value ?? '';
}

function checked(values: Values, block: string): boolean {
  return (values[block]?.[INPUT.value]?.selected_options ?? []).some((option) => option.value === 'on');
}

function brokenForm(): Submission {
  return { ack: { response_action: 'update', view: messageView('vps-bot', BROKEN_FORM) } };
}

function errors(map: Record<string, string>): Submission {
  return { ack: { response_action: 'errors', errors: map } };
}

function working(title: string, what: string): ViewResponseAction {
  return { response_action: 'update', view: loadingView(title, what) };
}

/** A modal-invalid input named by the API field is shown under the form field it came from. */
function fieldError(
  error: unknown,
  blockFor: Record<string, string>,
  fallback: string,
): Submission | undefined {
  if (!(error instanceof VpsError) || error.kind !== 'invalid') return undefined;
  const block = (error.field && blockFor[error.field]) || fallback;
  return errors({ [block]: error.message.replace(/^Invalid input: /, '') });
}

const BROKEN_FORM = 'This form is no longer valid. Nothing was done; run the command again.';

/** Create, edit and delete happen in modals: open at once, fill when VPS.org has answered. */
export class Forms {
  readonly #deps: HandlerDeps;

  constructor(deps: HandlerDeps) {
    this.#deps = deps;
  }

  async openCreate(ix: Interaction): Promise<void> {
    if (!(await this.#deps.service.authorize(ix.actor, 'create', 'new server'))) return this.#refuse(ix);
    const viewId = await this.#open(ix, loadingView('Create server', 'Reading plans, OSes and locations…'));
    if (viewId) {
      await this.#fill(viewId, async () =>
        createFormView(await this.#deps.service.catalogue(), originOf(ix.actor)),
      );
    }
  }

  async openEdit(ix: Interaction, ref: string): Promise<void> {
    if (!(await this.#deps.service.authorize(ix.actor, 'edit', ref))) return this.#refuse(ix);
    const viewId = await this.#open(ix, loadingView('Edit server', `Reading ${escapeText(echoed(ref))}…`));
    if (!viewId) return;
    await this.#fill(viewId, async () => {
      const found = await this.#deps.service.lookup(ref);
      if (found.kind === 'ambiguous')
        return messageView('Edit server', ambiguousText(found.ref, found.matches));
      if (found.kind === 'missing')
        return messageView('Edit server', missingText(found.ref, found.suggestions));
      const server = await this.#detailed(found.server);
      return editFormView(server, originOf(ix.actor));
    });
  }

  async openDelete(ix: Interaction, ref: string): Promise<void> {
    if (!(await this.#deps.service.authorize(ix.actor, 'delete', ref))) return this.#refuse(ix);
    const viewId = await this.#open(ix, loadingView('Delete server', `Reading ${escapeText(echoed(ref))}…`));
    if (!viewId) return;
    await this.#fill(viewId, async () => {
      const outcome = await this.#deps.service.requestChange(ix.actor, { action: 'delete' }, ref);
      if (outcome.kind === 'confirm') return deleteView(outcome.confirmation);
      return messageView('Delete server', requestOutcomeText(outcome, this.#deps.now()) ?? 'Nothing to do.');
    });
  }

  /**
   * A view submission: every check that needs no VPS.org is answered in the ack, the bounds on what
   * it holds first.
   */
  async submit(view: ViewOutput, actor: Actor): Promise<Submission> {
    const submit = this.#submitters.get(view.callback_id);
    if (!submit) {
      return {
        ack: {
          response_action: 'update',
          view: messageView('vps-bot', 'This form is not known to the bot.'),
        },
      };
    }
    if (view.private_metadata.length > INPUT_LIMITS.privateMetadata) return brokenForm();
    const oversized = oversizedFields(view.state.values);
    if (oversized) return errors(oversized);
    try {
      return await submit(view, actor);
    } catch (error) {
      // The modal says what happened instead of closing as if all went well (the delete form reads
      // its confirmation before answering: without the store, it says so).
      if (error instanceof StoreUnavailableError) {
        this.#deps.logger.warn(errorFields(error), 'refused: the state store is unavailable');
      } else {
        this.#deps.logger.error(
          { ...errorFields(error), callback_id: view.callback_id },
          'form submission failed',
        );
      }
      return { ack: { response_action: 'update', view: messageView('Not done', errorSentence(error)) } };
    }
  }

  /** Whether a view is one of the bot's forms. */
  knows(callbackId: string): boolean {
    return this.#submitters.has(callbackId);
  }

  readonly #submitters: ReadonlyMap<string, (view: ViewOutput, actor: Actor) => Promise<Submission>> =
    new Map(
      Object.entries({
        delete: (view, actor) => this.#submitDelete(view, actor),
        editForm: (view, actor) => this.#submitEdit(view, actor),
        createForm: (view, actor) => this.#submitCreate(view, actor),
        review: (view, actor) => this.#submitReview(view, actor),
      } satisfies Record<keyof typeof VIEW, (view: ViewOutput, actor: Actor) => Promise<Submission>>).map(
        ([name, submit]) => [VIEW[name as keyof typeof VIEW], submit],
      ),
    );

  async #submitDelete(view: ViewOutput, actor: Actor): Promise<Submission> {
    const id = view.private_metadata;
    const typed = text(view.state.values, INPUT.confirmName);
    const pending = await this.#deps.service.confirmation(id);
    const name = pending?.server?.name;
    if (name !== undefined && typed !== name) {
      return errors({
        [INPUT.confirmName]: `That is not the name. Type ${name} exactly; nothing was deleted.`,
      });
    }
    return {
      ack: working('Delete server', `Deleting ${escapeText(name ?? 'the server')}…`),
      after: () => this.#finish(view.id, 'Delete server', () => this.#deps.service.confirm(actor, id, typed)),
    };
  }

  async #submitEdit(view: ViewOutput, actor: Actor): Promise<Submission> {
    const values = view.state.values;
    const { serverId, ...origin } = decodeOrigin(view.private_metadata);
    // The bot put the server's ID there: without a valid one the form is broken, never a lookup of "undefined".
    if (!idSchema.safeParse(serverId).success) return brokenForm();
    let input: UpdateServerInput;
    try {
      input = checkInput(updateServerInputSchema, {
        name: text(values, INPUT.name),
        hostname: text(values, INPUT.hostname),
        backups_enabled: checked(values, INPUT.backups),
      });
    } catch (error) {
      const shown = fieldError(error, { name: INPUT.name, hostname: INPUT.hostname }, INPUT.name);
      if (shown) return shown;
      throw error;
    }
    const who: Actor = { ...actor, channelId: origin.channelId, replyUrl: origin.replyUrl };
    return {
      ack: working('Edit server', 'Comparing with VPS.org…'),
      after: () =>
        this.#fill(view.id, async () => {
          const outcome = await this.#deps.service.requestChange(
            who,
            { action: 'edit', values: input },
            String(serverId),
          );
          if (outcome.kind !== 'confirm') {
            return messageView(
              'Edit server',
              requestOutcomeText(outcome, this.#deps.now()) ?? 'Nothing to do.',
            );
          }
          const lines = outcome.server ? differences(outcome.server, input) : [];
          return reviewView(
            'Review changes',
            outcome.confirmation,
            ['*Save these changes?*', ...lines],
            'Save',
          );
        }),
    };
  }

  async #submitCreate(view: ViewOutput, actor: Actor): Promise<Submission> {
    const values = view.state.values;
    const origin = decodeOrigin(view.private_metadata);
    const chosen = (select: string, other: string) => text(values, other) || selected(values, select);
    const numberOrText = (value: string) => parseId(value) ?? value;
    const missing: Record<string, string> = {};
    const plan = chosen(INPUT.plan, INPUT.planOther);
    const os = chosen(INPUT.os, INPUT.osOther);
    const location = chosen(INPUT.location, INPUT.locationOther);
    if (!plan) missing[blockOf(view, INPUT.plan, INPUT.planOther)] = 'Choose a plan or type its ID.';
    if (!os) missing[blockOf(view, INPUT.os, INPUT.osOther)] = 'Choose an OS or type its ID.';
    if (!location)
      missing[blockOf(view, INPUT.location, INPUT.locationOther)] = 'Choose a location or type its code.';
    if (Object.keys(missing).length > 0) return errors(missing);
    const hostname = text(values, INPUT.hostname);
    const sshKey = text(values, INPUT.sshKey);
    let input: CreateServerInput;
    try {
      input = checkInput(createServerInputSchema, {
        name: text(values, INPUT.name),
        plan_id: numberOrText(plan),
        os_id: numberOrText(os),
        location,
        ...(hostname ? { hostname } : {}),
        ...(sshKey ? { ssh_key_id: numberOrText(sshKey) } : {}),
        backups_enabled: checked(values, INPUT.backups),
      });
    } catch (error) {
      const blocks = {
        name: INPUT.name,
        plan_id: INPUT.planOther,
        os_id: INPUT.osOther,
        location: INPUT.locationOther,
        hostname: INPUT.hostname,
        ssh_key_id: INPUT.sshKey,
      };
      const shown = fieldError(error, blocks, INPUT.name);
      if (shown) return shown;
      throw error;
    }
    const who: Actor = { ...actor, channelId: origin.channelId, replyUrl: origin.replyUrl };
    return {
      ack: working('Create server', 'Checking…'),
      after: () =>
        this.#fill(view.id, async () => {
          const outcome = await this.#deps.service.requestCreate(who, input);
          if (outcome.kind !== 'confirm') {
            return messageView(
              'Create server',
              requestOutcomeText(outcome, this.#deps.now()) ?? 'Nothing to do.',
            );
          }
          const preview = createPreview(input, await this.#deps.service.catalogue());
          return reviewView(
            'Review new server',
            outcome.confirmation,
            ['*Create this server?*', ...preview],
            'Create',
          );
        }),
    };
  }

  async #submitReview(view: ViewOutput, actor: Actor): Promise<Submission> {
    const id = view.private_metadata;
    return {
      ack: working('vps-bot', 'Sending to VPS.org…'),
      after: () => this.#finish(view.id, 'vps-bot', () => this.#deps.service.confirm(actor, id)),
    };
  }

  /** Redeems a confirmation from a modal and shows the outcome in it. */
  async #finish(
    viewId: string,
    title: string,
    confirm: () => ReturnType<HandlerDeps['service']['confirm']>,
  ): Promise<void> {
    await this.#fill(viewId, async () => {
      const outcome = await confirm();
      const said = confirmOutcomeText(outcome, this.#deps.now());
      const announced = outcome.kind === 'done' && outcome.change.announced;
      const follow = announced ? '\nThe card in the channel follows it from here.' : '';
      return messageView(title, `${said}${follow}`);
    });
  }

  async #detailed(server: Server): Promise<Server> {
    return server.backups_enabled === undefined ? this.#deps.service.get(server.id) : server;
  }

  async #refuse(ix: Interaction): Promise<void> {
    await ix.reply.ephemeral(notice(FORBIDDEN));
  }

  /** Opens a modal right away: Slack's trigger_id lasts 3 seconds, VPS.org may take longer. */
  async #open(ix: Interaction, view: ModalView): Promise<string | undefined> {
    if (!ix.triggerId) return undefined;
    try {
      const opened = await this.#deps.client.views.open({ trigger_id: ix.triggerId, view });
      return opened.view?.id;
    } catch (error) {
      this.#deps.logger.warn(errorFields(error), 'could not open a modal');
      await ix.reply.ephemeral(notice('Slack did not open the form in time. Please try again.'));
      return undefined;
    }
  }

  /** Replaces a modal's content with what `build` makes, or with one clear sentence if it fails. */
  async #fill(viewId: string, build: () => Promise<ModalView>): Promise<void> {
    let view: ModalView;
    try {
      view = await build();
    } catch (error) {
      if (!(error instanceof VpsError)) this.#deps.logger.error(errorFields(error), 'form failed');
      view = messageView('Not done', errorSentence(error));
    }
    try {
      await this.#deps.client.views.update({ view_id: viewId, view });
    } catch (error) {
      this.#deps.logger.warn(errorFields(error), 'could not update a modal');
    }
  }
}

function originOf(actor: Actor): FormOrigin {
  return { channelId: actor.channelId, replyUrl: actor.replyUrl };
}

/** The select's block when the form has one, else the "other" field's. */
function blockOf(view: ViewOutput, select: string, other: string): string {
  return view.blocks.some((block) => 'block_id' in block && block.block_id === select) ? select : other;
}

function differences(server: Server, input: UpdateServerInput): string[] {
  const lines: string[] = [];
  const show = (value: string | null | undefined) => (value ? `\`${escapeText(value)}\`` : '—');
  if (input.name !== server.name) lines.push(`• Name: ${show(server.name)} → ${show(input.name)}`);
  if (input.hostname !== server.hostname)
    lines.push(`• Hostname: ${show(server.hostname)} → ${show(input.hostname)}`);
  if (input.backups_enabled !== server.backups_enabled) {
    lines.push(
      `• Backups: ${server.backups_enabled ? 'on' : 'off'} → ${input.backups_enabled ? 'on' : 'off'}`,
    );
  }
  return lines;
}
