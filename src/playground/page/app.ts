import type { Answer, ClientState, MessageView } from '../protocol.js';
import { api } from './api.js';
import { Composer } from './composer.js';
import { h } from './dom.js';
import { HomePane } from './home.js';
import { type Obj, str } from './kit.js';
import { channelTitle, drawChannel, drawThread, type MessagesContext, pinToBottom } from './messages.js';
import { ModalHost } from './modal.js';
import { Panel } from './panel.js';
import { Sidebar } from './sidebar.js';
import { type AppTab, AppTabs } from './tabs.js';

const PERSON_KEY = 'playground.person';
const DEFAULT_PERSON = 'U0ALICE';
const DEFAULT_CHANNEL = 'C0OPS';
/** The URL's #fragment for the app's Home tab; channels use their id. */
const HOME = 'home';

/** The URL's #fragment, decoded; a malformed one (`#%E0`) is no place, not a page that fails to open. */
function fragmentOf(hash: string): string {
  try {
    return decodeURIComponent(hash.slice(1));
  } catch {
    return '';
  }
}

function saved(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The workspace page: sidebar, channel or app, thread, VPS.org panel, modals. State comes from the server only. */
export class App {
  #me = saved(PERSON_KEY) ?? DEFAULT_PERSON;
  #channel = DEFAULT_CHANNEL;
  /** The app's Home tab is shown (rather than #channel). */
  #home = false;
  /** The app's tab it opens on from the sidebar: Home, as Slack opens an app with one. */
  #appTab: AppTab = 'home';
  #thread: string | undefined;
  #state: ClientState | undefined;
  #fetching = false;
  #again = false;

  // A modal's origin redrawn meanwhile: focus goes back to the composer, as Slack's does.
  readonly #modals = new ModalHost(() => this.#composer.focus());
  readonly #sidebar: Sidebar;
  readonly #title = h('h2', { class: 'channel-title' });
  readonly #topic = h('p', { class: 'channel-topic' });
  readonly #tabs: AppTabs;
  readonly #list = h('div', { class: 'messages', attrs: { role: 'log', 'aria-live': 'polite' } });
  readonly #empty = h('p', { class: 'empty' });
  readonly #conversation = h('div', { class: 'conversation' });
  readonly #homePane = new HomePane();
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
    this.#sidebar = new Sidebar({
      openChannel: (id) => this.#open(id),
      openApp: () => this.#openApp(this.#appTab),
      become: (person) => this.#become(person),
    });
    this.#tabs = new AppTabs('vps-bot', (tab) => this.#openApp(tab));
    this.#tabs.panel('home', this.#homePane.element);
    this.#tabs.panel('messages', this.#conversation);
    this.#conversation.append(this.#list, this.#empty, this.#composer.element);
    this.#threadPane.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      this.#closeThread();
    });
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
    window.addEventListener('hashchange', () => this.#go(fragmentOf(location.hash)));
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
        this.#sidebar.element,
        h(
          'main',
          { class: 'channel' },
          h('div', { class: 'channel-head' }, this.#title, this.#topic, this.#tabs.element),
          this.#notice,
          this.#conversation,
          this.#homePane.element,
        ),
        this.#threadPane,
        this.#panel.element,
      ),
    );
    this.#listen();
    const fragment = fragmentOf(location.hash);
    if (fragment === HOME) this.#openApp('home');
    else this.#channel = fragment || DEFAULT_CHANNEL;
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
    const inApp = this.#home || channel.kind === 'dm';
    this.#sidebar.draw(state, { channel: channel.id, inApp });
    this.#tabs.element.hidden = !inApp;
    this.#tabs.show(this.#home ? 'home' : 'messages');
    // In the app, the conversation is its Messages tab; in a channel it is the page itself.
    if (inApp) this.#conversation.setAttribute('role', 'tabpanel');
    else this.#conversation.removeAttribute('role');
    this.#conversation.hidden = this.#home;
    this.#homePane.element.hidden = !this.#home;
    if (this.#home) this.#drawHome(state, ctx);
    else this.#drawChannel(state, channel, ctx);
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

  #drawHome(state: ClientState, ctx: MessagesContext): void {
    this.#title.textContent = state.bot.name;
    this.#topic.textContent = 'Home: your view of the fleet, published by vps-bot for you alone';
    this.#thread = undefined;
    this.#threadPane.hidden = true;
    const viewId = state.home === null ? undefined : str(state.home, 'id');
    this.#homePane.draw(state, {
      ...ctx,
      act: async (element, value) => {
        if (viewId === undefined) return;
        // Not `state`: an unchanged block keeps the element, and the closure, of an earlier draw.
        if (this.#state) this.#homePane.clicked(this.#state);
        await this.#act({ viewId, element, value });
      },
      openChannel: (id) => this.#open(id),
    });
  }

  #drawChannel(state: ClientState, channel: ClientState['channels'][number], ctx: MessagesContext): void {
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
  }

  #context(state: ClientState): MessagesContext {
    const person = (id: string) => state.people.find((p) => p.id === id);
    return {
      me: state.me,
      // Slack shows dates in the reader's own zone: switching person shows them in theirs.
      timeZone: person(state.me)?.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
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

  /** Follows the URL's fragment: a channel id, or the Home tab. */
  #go(fragment: string): void {
    if (fragment === HOME) this.#openApp('home');
    else this.#open(fragment || DEFAULT_CHANNEL);
  }

  #open(channel: string): void {
    if (channel === this.#channel && !this.#home) return;
    this.#leaveHome();
    this.#channel = channel;
    if (channel.startsWith('D')) this.#appTab = 'messages';
    this.#thread = undefined;
    this.#setFragment(channel);
    this.#list.replaceChildren();
    if (this.#state) this.#draw(this.#state);
    pinToBottom(this.#list);
    this.#composer.focus();
  }

  #openApp(tab: AppTab): void {
    this.#appTab = tab;
    if (tab === 'messages') {
      this.#open(`D${this.#me.slice(1)}`);
      return;
    }
    if (this.#home) return;
    this.#home = true;
    this.#setFragment(HOME);
    if (this.#state) this.#draw(this.#state);
    this.#openHome();
  }

  /** As Slack does on every showing of the tab: app_home_opened, which vps-bot answers by publishing. */
  #openHome(): void {
    const me = this.#me;
    void this.#after(api.home({ user: me })).then((answer) => {
      if (me === this.#me && !answer.ok) this.#notice.textContent = answer.error ?? 'vps-bot did not answer.';
    });
  }

  #leaveHome(): void {
    if (!this.#home) return;
    this.#home = false;
    this.#homePane.leave();
  }

  #setFragment(fragment: string): void {
    if (fragmentOf(location.hash) !== fragment)
      history.replaceState(null, '', `#${encodeURIComponent(fragment)}`);
  }

  #become(person: string): void {
    if (person === this.#me) return;
    this.#me = person;
    try {
      localStorage.setItem(PERSON_KEY, person);
    } catch {
      // Kept for this page only.
    }
    // Another person: their DM, their ephemeral messages, their modals, their Home tab.
    if (this.#channel.startsWith('D')) {
      this.#channel = `D${person.slice(1)}`;
      if (!this.#home) this.#setFragment(this.#channel);
    }
    this.#list.replaceChildren();
    pinToBottom(this.#list);
    if (this.#home) {
      this.#homePane.leave();
      this.#openHome();
    }
    void this.refresh();
  }

  #openThread(ts: string): void {
    this.#thread = ts;
    if (this.#state) this.#draw(this.#state);
    this.#threadPane.querySelector<HTMLButtonElement>('.icon-button')?.focus();
  }

  /** Closes the pane, focus back on the parent's "N replies", as it was before the pane opened. */
  #closeThread(): void {
    const parent = this.#thread;
    this.#thread = undefined;
    this.#threadPane.hidden = true;
    const article = Array.from(this.#list.querySelectorAll<HTMLElement>('article[data-ts]')).find(
      (a) => a.dataset.ts === parent,
    );
    article?.querySelector<HTMLButtonElement>('button.replies')?.focus();
  }
}
