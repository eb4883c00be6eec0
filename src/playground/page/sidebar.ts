import type { ClientState } from '../protocol.js';
import { h, reconcile } from './dom.js';
import { channelTitle } from './messages.js';

export interface SidebarDeps {
  /** A channel was chosen. */
  openChannel(id: string): void;
  /** The app was chosen: it opens on the tab last shown. */
  openApp(): void;
  /** Someone else in the switcher was chosen. */
  become(person: string): void;
}

/** Where the page is: a channel, or the app (its Home tab, or its Messages tab, which is the DM). */
export interface Where {
  channel: string;
  inApp: boolean;
}

/** Slack's sidebar: the channels, the app (vps-bot: Home and Messages), and who you are. */
export class Sidebar {
  readonly element: HTMLElement;
  readonly #channels = h('ul', { class: 'channel-list' });
  readonly #apps = h('ul', { class: 'channel-list' });
  readonly #people = h('div', { class: 'people', attrs: { role: 'group', 'aria-label': 'You are' } });

  constructor(private readonly deps: SidebarDeps) {
    this.element = h(
      'nav',
      { class: 'sidebar', attrs: { 'aria-label': 'Channels and people' } },
      h('h2', {}, 'Channels'),
      this.#channels,
      h('h2', {}, 'Apps'),
      this.#apps,
      h('h2', {}, 'You are'),
      this.#people,
    );
  }

  draw(state: ClientState, where: Where): void {
    const link = (key: string, current: boolean, label: string, open: () => void) => ({
      key: `${key}|${current}|${label}`,
      build: () =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: 'channel-link',
              attrs: { type: 'button', 'aria-current': current ? 'page' : undefined },
              on: { click: open },
            },
            label,
          ),
        ),
    });
    reconcile(
      this.#channels,
      state.channels
        .filter((c) => c.kind === 'channel')
        .map((c) =>
          link(c.id, !where.inApp && c.id === where.channel, channelTitle(c), () =>
            this.deps.openChannel(c.id),
          ),
        ),
    );
    reconcile(this.#apps, [link('app', where.inApp, state.bot.name, () => this.deps.openApp())]);
    reconcile(
      this.#people,
      state.people.map((p) => ({
        key: `${p.id}|${p.id === state.me}`,
        build: () =>
          h(
            'button',
            {
              class: 'person',
              attrs: { type: 'button', 'aria-pressed': String(p.id === state.me) },
              on: { click: () => this.deps.become(p.id) },
            },
            h('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, p.initials),
            h(
              'span',
              { class: 'who' },
              h('span', { class: 'name' }, p.realName),
              h('span', { class: 'about' }, p.about),
              h('span', { class: 'about' }, p.tz),
            ),
          ),
      })),
    );
  }
}
