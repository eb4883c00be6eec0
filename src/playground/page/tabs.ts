import { h, uid } from './dom.js';

export type AppTab = 'home' | 'messages';

const TABS: readonly { tab: AppTab; label: string }[] = [
  { tab: 'home', label: 'Home' },
  { tab: 'messages', label: 'Messages' },
];

/**
 * The app's tabs, as Slack shows an app: Home and Messages (the DM). ARIA's tab pattern: one tab in
 * the Tab order, arrow keys, Home and End move between them and show the one they land on.
 */
export class AppTabs {
  readonly element: HTMLElement;
  readonly #tabs = new Map<AppTab, HTMLButtonElement>();

  constructor(
    appName: string,
    private readonly choose: (tab: AppTab) => void,
  ) {
    this.element = h('div', {
      class: 'app-tabs',
      attrs: { role: 'tablist', 'aria-label': appName },
      on: { keydown: (event) => this.#keydown(event) },
    });
    for (const { tab, label } of TABS) {
      const button = h(
        'button',
        {
          class: 'app-tab',
          attrs: { type: 'button', role: 'tab', id: uid(`tab-${tab}`) },
          on: { click: () => this.choose(tab) },
        },
        label,
      );
      this.#tabs.set(tab, button);
      this.element.append(button);
    }
  }

  /** Ties a tab and the panel it shows to each other: aria-controls one way, aria-labelledby the other. */
  panel(tab: AppTab, panel: HTMLElement): void {
    const button = this.#tabs.get(tab);
    if (!button) return;
    panel.id ||= uid(`panel-${tab}`);
    button.setAttribute('aria-controls', panel.id);
    panel.setAttribute('aria-labelledby', button.id);
  }

  show(selected: AppTab): void {
    for (const [tab, button] of this.#tabs) {
      button.setAttribute('aria-selected', String(tab === selected));
      button.tabIndex = tab === selected ? 0 : -1;
    }
  }

  #keydown(event: KeyboardEvent): void {
    const order = TABS.map((t) => t.tab);
    const at = order.findIndex((tab) => this.#tabs.get(tab) === document.activeElement);
    if (at < 0) return;
    const next =
      event.key === 'ArrowRight'
        ? (at + 1) % order.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + order.length) % order.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? order.length - 1
              : undefined;
    const tab = next === undefined ? undefined : order[next];
    if (tab === undefined) return;
    event.preventDefault();
    this.choose(tab);
    this.#tabs.get(tab)?.focus();
  }
}
