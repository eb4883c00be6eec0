import type { Answer, ClientState, MessageView } from '../protocol.js';
import { api } from './api.js';
import { Composer } from './composer.js';
import { h, reconcile } from './dom.js';
import { type Obj, str } from './kit.js';
import { channelTitle, drawChannel, drawThread, type MessagesContext, pinToBottom } from './messages.js';
import { ModalHost } from './modal.js';
import { Panel } from './panel.js';

const PERSON_KEY = 'playground.person';
const DEFAULT_PERSON = 'U0ALICE';
const DEFAULT_CHANNEL = 'C0OPS';

function saved(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The workspace page: sidebar, channel, thread, VPS.org panel, modals. State comes from the server only. */
export class App {
  #me = saved(PERSON_KEY) ?? DEFAULT_PERSON;
  #channel = decodeURIComponent(location.hash.slice(1)) || DEFAULT_CHANNEL;
  #thread: string | undefined;
  #state: ClientState | undefined;
  #fetching = false;
  #again = false;

  readonly #modals = new ModalHost();
  readonly #people = h('div', { class: 'people', attrs: { role: 'group', 'aria-label': 'You are' } });
  readonly #channels = h('ul', { class: 'channel-list' });
  readonly #dms = h('ul', { class: 'channel-list' });
  readonly #title = h('h2', { class: 'channel-title' });
  readonly #topic = h('p', { class: 'channel-topic' });
  readonly #list = h('div', { class: 'messages', attrs: { role: 'log', 'aria-live': 'polite' } });
  readonly #empty = h('p', { class: 'empty' });
  readonly #threadPane = h('aside', {
    class: 'thread',
    attrs: { 'aria-labelledby': 'thread-title', hidden: true },
  });
  readonly #threadList = h('div', { class: 'messages', attrs: { role: 'log', 'aria-label': 'Replies' } });
  readonly #threadWhere = h('span', { class: 'thread-where' });
  readonly #notice = h('p', { class: 'notice', attrs: { role: 'status' } });
  readonly #composer: Composer;
  readonly #panel: Panel;

  constructor(private readonly root: HTMLElement) {
    this.#composer = new Composer({
      send: (text) => this.#after(api.command({ user: this.#me, channel: this.#channel, text })),
      command: () => this.#state?.command ?? { name: '/vps', description: '', usageHint: '' },
    });
    this.#panel = new Panel({ control: (control) => this.#after(api.vps(control)) });
    this.#threadPane.append(
      h(
        'div',
        { class: 'thread-head' },
        h('h2', { attrs: { id: 'thread-title' } }, 'Thread'),
        this.#threadWhere,
        h(
          'button',
          {
            class: 'icon-button',
            attrs: { type: 'button', 'aria-label': 'Close thread' },
            on: { click: () => this.#closeThread() },
          },
          '×',
        ),
      ),
      this.#threadList,
    );
    window.addEventListener('hashchange', () =>
      this.#open(decodeURIComponent(location.hash.slice(1)) || DEFAULT_CHANNEL),
    );
  }

  start(): void {
    this.root.replaceChildren(
      h(
        'header',
        { class: 'top' },
        h('h1', {}, 'vps-bot playground'),
        h('p', { class: 'tagline' }, 'A pretend Slack workspace with a simulated VPS.org. Try /vps list.'),
        h(
          'button',
          {
            class: 'bk-button subtle',
            attrs: { type: 'button' },
            on: { click: () => void this.#after(api.clear()) },
          },
          'Clear conversation',
        ),
      ),
      h(
        'div',
        { class: 'workspace' },
        h(
          'nav',
          { class: 'sidebar', attrs: { 'aria-label': 'Channels and people' } },
          h('h2', {}, 'Channels'),
          this.#channels,
          h('h2', {}, 'Direct messages'),
          this.#dms,
          h('h2', {}, 'You are'),
          this.#people,
        ),
        h(
          'main',
          { class: 'channel' },
          h('div', { class: 'channel-head' }, this.#title, this.#topic),
          this.#notice,
          this.#list,
          this.#empty,
          this.#composer.element,
        ),
        this.#threadPane,
        this.#panel.element,
      ),
    );
    this.#listen();
    void this.refresh();
  }

  /** Fetches what the current person sees; calls that come while one is under way make one more. */
  async refresh(): Promise<void> {
    if (this.#fetching) {
      this.#again = true;
      return;
    }
    this.#fetching = true;
    try {
      do {
        this.#again = false;
        const me = this.#me;
        const state = await api.state(me);
        if (me === this.#me) this.#draw(state);
      } while (this.#again);
    } catch {
      this.#notice.textContent = 'The playground is not answering: is npm start still running?';
    } finally {
      this.#fetching = false;
    }
  }

  #listen(): void {
    const events = new EventSource('/playground/events');
    // 'hello' comes on every (re)connection: whatever was missed meanwhile is fetched again.
    events.addEventListener('hello', () => {
      this.#notice.textContent = '';
      void this.refresh();
    });
    events.addEventListener('change', () => void this.refresh());
    events.addEventListener('error', () => {
      this.#notice.textContent = 'Reconnecting to the playground…';
    });
  }

  async #after(request: Promise<Answer>): Promise<Answer> {
    const answer = await request;
    void this.refresh();
    return answer;
  }

  #draw(state: ClientState): void {
    this.#state = state;
    const channel = state.channels.find((c) => c.id === this.#channel) ?? state.channels[0];
    if (!channel) return;
    if (channel.id !== this.#channel) this.#channel = channel.id;
    const ctx = this.#context(state);
    this.#drawPeople(state);
    this.#drawChannels(state);
    const title = channelTitle(channel);
    this.#title.textContent = title;
    this.#topic.textContent = channel.topic;
    this.#list.setAttribute('aria-label', `Messages in ${title}`);
    this.#empty.textContent = `This is the very beginning of ${title}. Type ${state.command.name} help below.`;
    this.#composer.setLabel(`Message ${title}`);
    const messages = state.messages[channel.id] ?? [];
    drawChannel(this.#list, messages, ctx);
    if (this.#thread !== undefined && drawThread(this.#threadList, this.#thread, messages, ctx)) {
      this.#threadPane.hidden = false;
      this.#threadWhere.textContent = title;
    } else {
      this.#thread = undefined;
      this.#threadPane.hidden = true;
    }
    this.#panel.draw(state.vps);
    this.#modals.update(state.modals as Obj[], {
      ...ctx,
      act: (viewId, element, value) => this.#act({ viewId, element, value }),
      submit: (viewId, values) => this.#after(api.submit({ user: this.#me, viewId, values })),
      close: async (back) => {
        await this.#after(api.close({ user: this.#me, back }));
      },
    });
  }

  #context(state: ClientState): MessagesContext {
    const person = (id: string) => state.people.find((p) => p.id === id);
    return {
      me: state.me,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      userName: (id) => (id === state.bot.id ? state.bot.name : (person(id)?.realName ?? id)),
      channelName: (id) => state.channels.find((c) => c.id === id)?.name ?? id,
      initials: (id) => (id === state.bot.id ? '🤖' : (person(id)?.initials ?? '?')),
      isBot: (id) => id === state.bot.id,
      act: (message, element, value) => this.#act({ message, element, value }),
      openThread: (ts) => this.#openThread(ts),
    };
  }

  async #act(
    target: { element: Obj; value: string | undefined } & ({ message: MessageView } | { viewId: string }),
  ): Promise<void> {
    const actionId = str(target.element, 'action_id');
    if (actionId === undefined) return;
    const base = { user: this.#me, actionId, ...(target.value === undefined ? {} : { value: target.value }) };
    const request =
      'viewId' in target
        ? { ...base, viewId: target.viewId }
        : { ...base, channel: this.#channel, ts: target.message.ts, ephemeral: target.message.ephemeral };
    const answer = await this.#after(api.click(request));
    this.#notice.textContent = answer.ok ? '' : (answer.error ?? 'That did not reach vps-bot.');
  }

  #drawPeople(state: ClientState): void {
    reconcile(
      this.#people,
      state.people.map((p) => ({
        key: `${p.id}|${p.id === this.#me}`,
        build: () =>
          h(
            'button',
            {
              class: 'person',
              attrs: { type: 'button', 'aria-pressed': String(p.id === this.#me) },
              on: { click: () => this.#become(p.id) },
            },
            h('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, p.initials),
            h(
              'span',
              { class: 'who' },
              h('span', { class: 'name' }, p.realName),
              h('span', { class: 'about' }, p.about),
            ),
          ),
      })),
    );
  }

  #drawChannels(state: ClientState): void {
    const items = (kind: 'channel' | 'dm') =>
      state.channels
        .filter((c) => c.kind === kind)
        .map((c) => ({
          key: `${c.id}|${c.id === this.#channel}`,
          build: () =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  class: 'channel-link',
                  attrs: { type: 'button', 'aria-current': c.id === this.#channel ? 'page' : undefined },
                  on: { click: () => this.#open(c.id) },
                },
                channelTitle(c),
              ),
            ),
        }));
    reconcile(this.#channels, items('channel'));
    reconcile(this.#dms, items('dm'));
  }

  #open(channel: string): void {
    if (channel === this.#channel) return;
    this.#channel = channel;
    this.#thread = undefined;
    if (decodeURIComponent(location.hash.slice(1)) !== channel)
      history.replaceState(null, '', `#${encodeURIComponent(channel)}`);
    this.#list.replaceChildren();
    if (this.#state) this.#draw(this.#state);
    pinToBottom(this.#list);
    this.#composer.focus();
  }

  #become(person: string): void {
    if (person === this.#me) return;
    this.#me = person;
    try {
      localStorage.setItem(PERSON_KEY, person);
    } catch {
      // Kept for this page only.
    }
    // Another person: their DM, their ephemeral messages, their modals.
    if (this.#channel.startsWith('D')) this.#channel = `D${person.slice(1)}`;
    this.#list.replaceChildren();
    pinToBottom(this.#list);
    void this.refresh();
  }

  #openThread(ts: string): void {
    this.#thread = ts;
    if (this.#state) this.#draw(this.#state);
    this.#threadPane.querySelector<HTMLButtonElement>('.icon-button')?.focus();
  }

  #closeThread(): void {
    this.#thread = undefined;
    this.#threadPane.hidden = true;
  }
}
