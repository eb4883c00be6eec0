import { errorFields } from '../../log.js';
import type { ListFilter } from '../../vps/client.js';
import { parseId, parseOwnId } from '../../vps/inputs.js';
import type { Server } from '../../vps/schemas.js';
import { serverCard } from '../blocks/card.js';
import { HELP_SHARE_VALUE, helpMessage } from '../blocks/help.js';
import { historyMessage } from '../blocks/history.js';
import { context, type SlackMessage } from '../blocks/kit.js';
import { decodeListRef, listMessage } from '../blocks/list.js';
import { ambiguousText, missingText } from '../blocks/outcomes.js';
import { notice } from '../blocks/prompts.js';
import { STALE_BUTTON } from '../blocks/sentences.js';
import { escapeText, mention } from '../blocks/text.js';
import type { HandlerDeps, Interaction } from './context.js';

/** help, list, show and the buttons that look again: answers only the person who asked. */
export class Lookups {
  readonly #deps: HandlerDeps;

  constructor(deps: HandlerDeps) {
    this.#deps = deps;
  }

  async help(ix: Interaction, intro?: string): Promise<void> {
    const mayChange = await this.#deps.service.mayChange(ix.actor.userId);
    await ix.reply.ephemeral(helpMessage(mayChange, intro, { shareable: true }));
  }

  async list(ix: Interaction, filter: ListFilter): Promise<void> {
    const servers = await this.#deps.service.list(filter);
    await ix.reply.ephemeral(listMessage(servers, filter, 1, { shareable: true }));
  }

  /** Previous/Next: the list is read again, so a page is never stale. */
  async page(ix: Interaction, value: string): Promise<void> {
    const ref = decodeListRef(value);
    if (!ref) return ix.reply.ephemeral(notice('That page link is broken; run `/vps list` again.'));
    const servers = await this.#deps.service.list(ref.filter);
    await ix.reply.replace(listMessage(servers, ref.filter, ref.page, { shareable: true }));
  }

  async show(ix: Interaction, ref: string): Promise<void> {
    const found = await this.#deps.service.lookup(ref);
    if (found.kind === 'ambiguous')
      return ix.reply.ephemeral(notice(ambiguousText(found.ref, found.matches)));
    if (found.kind === 'missing')
      return ix.reply.ephemeral(notice(missingText(found.ref, found.suggestions)));
    // A name is found through the list, which lacks usage and IPv6: the card wants the detailed view.
    const server = found.server.resource_usage ? found.server : await this.#deps.service.get(found.server.id);
    await ix.reply.ephemeral(await this.card(server, true));
  }

  async history(ix: Interaction, ref: string): Promise<void> {
    const found = await this.#deps.service.history(ref);
    if (found.kind === 'ambiguous')
      return ix.reply.ephemeral(notice(ambiguousText(found.ref, found.matches)));
    if (found.kind === 'missing') {
      const hint = parseId(ref) === undefined ? ' For a deleted server, give its ID.' : '';
      return ix.reply.ephemeral(notice(`${missingText(found.ref, found.suggestions)}${hint}`));
    }
    await ix.reply.ephemeral(historyMessage(found.name, found.serverId, found.entries));
  }

  async showId(ix: Interaction, id: number): Promise<void> {
    await ix.reply.ephemeral(await this.card(await this.#deps.service.get(id), true));
  }

  /** Refresh: an ephemeral card is redrawn in place; a channel card stays, the person gets a fresh one. */
  async refresh(ix: Interaction, id: number, inPlace: boolean): Promise<void> {
    const card = await this.card(await this.#deps.service.get(id), true);
    await (inPlace ? ix.reply.replace(card) : ix.reply.ephemeral(card));
  }

  async share(ix: Interaction, value: string): Promise<void> {
    const shared = `Shared by ${mention(ix.actor.userId)}`;
    if (value === HELP_SHARE_VALUE) {
      const help = helpMessage(await this.#deps.service.mayChange(ix.actor.userId));
      help.blocks.push(context(shared));
      return ix.reply.inChannel(help);
    }
    if (value.startsWith('server:')) {
      const id = parseOwnId(value.slice('server:'.length));
      if (id === undefined) return ix.reply.ephemeral(notice(STALE_BUTTON));
      const server = await this.#deps.service.get(id);
      const card = await this.card(server, false);
      card.blocks.push(context(shared));
      return ix.reply.inChannel(card);
    }
    const ref = value.startsWith('list:') ? decodeListRef(value.slice('list:'.length)) : undefined;
    if (!ref) return ix.reply.ephemeral(notice('There is nothing to share here.'));
    const page = listMessage(await this.#deps.service.list(ref.filter), ref.filter, ref.page);
    page.blocks.push(context(shared));
    await ix.reply.inChannel(page);
  }

  async card(server: Server, shareable: boolean): Promise<SlackMessage> {
    // A lookup needs no state: without the store the card only lacks the line about a change under way.
    const change = await this.#deps.service.changeUnderWay(server.id).catch((error: unknown) => {
      this.#deps.logger.warn(errorFields(error), 'card shown without the change under way');
      return undefined;
    });
    const underWay = change && {
      status: change.status,
      userId: change.actor.userId,
      elapsedMs: change.status === 'provisioning' ? this.#deps.now() - change.startedAt : undefined,
    };
    return {
      text: `${escapeText(server.name)}: ${escapeText(server.status)}`,
      blocks: serverCard(server, { shareable, underWay }),
    };
  }
}
