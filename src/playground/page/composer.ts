import type { Answer } from '../protocol.js';
import { h, uid } from './dom.js';

export interface ComposerDeps {
  send(text: string): Promise<Answer>;
  command(): { name: string; description: string; usageHint: string };
}

const HISTORY_KEY = 'playground.history';
const HISTORY_MAX = 50;

/**
 * Slack's message box: labelled "Message #channel", Enter sends, Shift+Enter breaks the line, `/`
 * offers the app's command with its usage hint, Up recalls what was sent before.
 */
export class Composer {
  readonly element: HTMLFormElement;
  readonly #input: HTMLTextAreaElement;
  readonly #suggestions: HTMLElement;
  readonly #option: HTMLElement;
  readonly #problem: HTMLElement;
  readonly #history: string[];
  #recalled: number | undefined;

  constructor(private readonly deps: ComposerDeps) {
    this.#history = readHistory();
    const listId = uid('commands');
    const optionId = uid('command');
    this.#option = h('div', {
      class: 'suggestion',
      attrs: { role: 'option', id: optionId, 'aria-selected': 'true' },
      on: {
        mousedown: (event) => event.preventDefault(),
        click: () => this.#complete(),
      },
    });
    this.#suggestions = h(
      'div',
      {
        class: 'suggestions',
        attrs: { role: 'listbox', id: listId, 'aria-label': 'Commands', hidden: true },
      },
      this.#option,
    );
    this.#input = h('textarea', {
      attrs: {
        rows: '1',
        'aria-controls': listId,
        autocomplete: 'off',
        spellcheck: 'false',
        enterkeyhint: 'send',
      },
      on: {
        input: () => {
          this.#recalled = undefined;
          this.#suggest();
        },
        keydown: (event) => this.#keydown(event),
        blur: () => this.#hide(),
      },
    });
    this.#problem = h('p', { class: 'composer-problem', attrs: { role: 'alert' } });
    const sendButton = h('button', { class: 'send', attrs: { type: 'submit', 'aria-label': 'Send' } }, '➤');
    this.element = h(
      'form',
      {
        class: 'composer',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#send();
          },
        },
      },
      this.#suggestions,
      h('div', { class: 'composer-box' }, this.#input, sendButton),
      this.#problem,
    );
  }

  /** "Message #ops": the label and the placeholder, as Slack has them. */
  setLabel(label: string): void {
    this.#input.setAttribute('aria-label', label);
    this.#input.placeholder = label;
  }

  focus(): void {
    this.#input.focus();
  }

  #keydown(event: KeyboardEvent): void {
    const open = !this.#suggestions.hidden;
    if ((event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && open)) {
      if (open && !this.#input.value.includes(' ')) {
        event.preventDefault();
        this.#complete();
        return;
      }
      if (event.key === 'Enter') {
        event.preventDefault();
        void this.#send();
      }
      return;
    }
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      this.#hide();
      return;
    }
    const atStart = this.#input.selectionStart === 0 && this.#input.selectionEnd === 0;
    if (event.key === 'ArrowUp' && (this.#input.value === '' || (atStart && this.#recalled !== undefined))) {
      event.preventDefault();
      this.#recall(-1);
    } else if (event.key === 'ArrowDown' && this.#recalled !== undefined) {
      event.preventDefault();
      this.#recall(1);
    }
  }

  #recall(step: number): void {
    if (this.#history.length === 0) return;
    const at = (this.#recalled ?? this.#history.length) + step;
    if (at >= this.#history.length) {
      this.#recalled = undefined;
      this.#input.value = '';
      return;
    }
    this.#recalled = Math.max(0, at);
    this.#input.value = this.#history[this.#recalled] ?? '';
    this.#input.setSelectionRange(0, 0);
  }

  #suggest(): void {
    const typed = this.#input.value;
    const { name, description, usageHint } = this.deps.command();
    if (!typed.startsWith('/') || /\s/.test(typed) || !name.startsWith(typed)) {
      this.#hide();
      return;
    }
    this.#option.replaceChildren(
      h('span', { class: 'suggestion-name' }, name),
      ' ',
      h('span', { class: 'suggestion-hint' }, usageHint),
      h('span', { class: 'suggestion-description' }, `${description} · vps-bot`),
    );
    this.#suggestions.hidden = false;
    this.#input.setAttribute('aria-activedescendant', this.#option.id);
  }

  #hide(): void {
    this.#suggestions.hidden = true;
    this.#input.removeAttribute('aria-activedescendant');
  }

  #complete(): void {
    this.#input.value = `${this.deps.command().name} `;
    this.#hide();
    this.#input.focus();
  }

  async #send(): Promise<void> {
    const text = this.#input.value.trim();
    if (text === '') return;
    this.#hide();
    this.#problem.textContent = '';
    this.#input.value = '';
    this.#recalled = undefined;
    if (this.#history.at(-1) !== text) this.#history.push(text);
    this.#history.splice(0, Math.max(0, this.#history.length - HISTORY_MAX));
    saveHistory(this.#history);
    const answer = await this.deps.send(text);
    if (!answer.ok) this.#problem.textContent = answer.error ?? 'That did not reach vps-bot.';
  }
}

function readHistory(): string[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(saved) ? saved.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

function saveHistory(history: readonly string[]): void {
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch {
    // A browser that keeps nothing still sends; it only forgets the history on reload.
  }
}
