import type { ChannelView, ClientState } from '../protocol.js';
import { type BlockContext, block } from './blocks.js';
import { h, reconcile } from './dom.js';
import { objs, str } from './kit.js';

export interface HomeContext extends BlockContext {
  /** Shows a channel, or the app's Messages tab for the DM. */
  openChannel(id: string): void;
}

/** Every message the person can see now, as channel|ts. */
function seen(state: ClientState): Set<string> {
  return new Set(
    Object.entries(state.messages).flatMap(([channel, messages]) =>
      messages.map((m) => `${channel}|${m.ts}`),
    ),
  );
}

/**
 * The app's Home tab: the view vps-bot last published for this person (views.publish), drawn with
 * the messages' Block Kit renderer. A click here has no message to answer in: Slack's app answers
 * elsewhere (an ephemeral message in a channel, or the DM), so the pane says where it did.
 */
export class HomePane {
  readonly element: HTMLElement;
  readonly #blocks = h('div', { class: 'bk-blocks home-blocks' });
  readonly #waiting = h('p', { class: 'empty' }, 'Opening vps-bot’s Home…');
  readonly #answer = h('div', { class: 'home-answer', attrs: { role: 'status' } });
  /** What the person could see when they last clicked here; undefined once the answer is found. */
  #before: Set<string> | undefined;

  constructor() {
    this.element = h(
      'section',
      { class: 'home', attrs: { role: 'tabpanel' } },
      this.#answer,
      this.#blocks,
      this.#waiting,
    );
  }

  /** A click is on its way to vps-bot: the next message that appears is taken as its answer. */
  clicked(state: ClientState): void {
    this.#before = seen(state);
    this.#answer.replaceChildren();
  }

  /** The person left the tab: an answer still to come is theirs to find. */
  leave(): void {
    this.#before = undefined;
    this.#answer.replaceChildren();
  }

  draw(state: ClientState, ctx: HomeContext): void {
    const view = state.home;
    const id = view === null ? '' : (str(view, 'id') ?? '');
    reconcile(
      this.#blocks,
      (view === null ? [] : objs(view, 'blocks')).map((b) => ({
        key: `${state.me}|${id}|${JSON.stringify(b)}`,
        build: () => block(b, ctx),
      })),
    );
    this.#blocks.hidden = view === null;
    this.#waiting.hidden = view !== null;
    this.#findAnswer(state, ctx);
  }

  #findAnswer(state: ClientState, ctx: HomeContext): void {
    const before = this.#before;
    if (before === undefined) return;
    const fresh = state.channels.flatMap((channel) =>
      (state.messages[channel.id] ?? [])
        .filter((m) => !before.has(`${channel.id}|${m.ts}`))
        .map((m) => ({ channel, ephemeral: m.ephemeral })),
    );
    // An answer to this person alone says more than a card posted for everyone.
    const found = fresh.find((m) => m.ephemeral) ?? fresh[0];
    if (found === undefined) return;
    this.#before = undefined;
    this.#answer.replaceChildren(...this.#answerLine(found.channel, found.ephemeral, ctx));
  }

  #answerLine(channel: ChannelView, ephemeral: boolean, ctx: HomeContext): (string | HTMLElement)[] {
    const place = channel.kind === 'dm' ? 'Messages' : `#${channel.name}`;
    return [
      ephemeral ? `vps-bot answered in ${place}, visible only to you. ` : `vps-bot posted in ${place}. `,
      h(
        'button',
        { class: 'bk-button', attrs: { type: 'button' }, on: { click: () => ctx.openChannel(channel.id) } },
        `Go to ${place}`,
      ),
    ];
  }
}
