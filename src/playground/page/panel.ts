import { type Answer, STATUSES, type VpsControl, type VpsPanelState } from '../protocol.js';
import { h, reconcile, uid } from './dom.js';

export interface PanelDeps {
  control(control: VpsControl): Promise<Answer>;
}

const STATUS_DOT: Record<string, string> = { active: 'ok', stopped: 'off', suspended: 'off' };

/**
 * VPS.org beside the chat: the simulator's servers and their status, and what a person can do behind
 * the bot's back: change a status, make VPS.org fail or hang, switch the balance off, add servers, reset.
 */
export class Panel {
  readonly element: HTMLElement;
  readonly #rows: HTMLElement;
  readonly #body: HTMLElement;
  readonly #external: HTMLElement;
  readonly #problem: HTMLElement;
  readonly #failing: HTMLInputElement[];
  readonly #balance: HTMLInputElement;
  readonly #count: HTMLElement;

  constructor(private readonly deps: PanelDeps) {
    this.#problem = h('p', { class: 'panel-problem', attrs: { role: 'alert' } });
    this.#rows = h('tbody');
    this.#count = h('span', { class: 'count' });
    const name = uid('failing');
    const mode = (value: 'none' | 'errors' | 'hang', text: string) => {
      const input = h('input', {
        attrs: { type: 'radio', name, value },
        on: { change: () => void this.#do({ action: 'failing', mode: value }) },
      });
      return { input, label: h('label', { class: 'choice' }, input, ` ${text}`) };
    };
    const modes = [
      mode('none', 'Normally'),
      mode('errors', 'With errors (503)'),
      mode('hang', 'Not at all (hangs)'),
    ];
    this.#failing = modes.map((m) => m.input);
    this.#balance = h('input', {
      attrs: { type: 'checkbox' },
      on: { change: () => void this.#do({ action: 'balance', ok: this.#balance.checked }) },
    });
    const countId = uid('count');
    const count = h('input', { attrs: { id: countId, type: 'number', min: '1', max: '500', value: '25' } });
    const nameId = uid('name');
    const serverName = h('input', {
      attrs: { id: nameId, type: 'text', autocomplete: 'off', placeholder: 'web-server-02' },
    });
    this.#external = h('p', { class: 'panel-note', attrs: { hidden: true } });
    this.#body = h(
      'div',
      { class: 'panel-body' },
      h(
        'table',
        { class: 'servers' },
        h('caption', {}, 'Servers ', this.#count),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { attrs: { scope: 'col' } }, 'Server'),
            h('th', { attrs: { scope: 'col' } }, 'Status'),
          ),
        ),
        this.#rows,
      ),
      h('p', { class: 'panel-note' }, 'Change a status here and the fleet watch tells #ops within seconds.'),
      h('fieldset', {}, h('legend', {}, 'VPS.org answers'), ...modes.map((m) => m.label)),
      h(
        'label',
        { class: 'choice' },
        this.#balance,
        ' Balance OK (off: creating a server is refused with 402)',
      ),
      h(
        'form',
        {
          class: 'inline-form',
          on: {
            submit: (event) => {
              event.preventDefault();
              void this.#do({ action: 'add', count: Number(count.value) });
            },
          },
        },
        h('label', { attrs: { for: countId } }, 'How many'),
        count,
        h('button', { class: 'bk-button', attrs: { type: 'submit' } }, 'Add servers'),
      ),
      h(
        'form',
        {
          class: 'inline-form',
          on: {
            submit: (event) => {
              event.preventDefault();
              if (serverName.value.trim() === '') return;
              void this.#do({ action: 'add-named', name: serverName.value }).then((answer) => {
                if (answer.ok) serverName.value = '';
              });
            },
          },
        },
        h('label', { attrs: { for: nameId } }, 'Server name'),
        serverName,
        h('button', { class: 'bk-button', attrs: { type: 'submit' } }, 'Add server'),
      ),
      h(
        'button',
        {
          class: 'bk-button danger',
          attrs: { type: 'button' },
          on: { click: () => void this.#do({ action: 'reset' }) },
        },
        'Reset VPS.org',
      ),
    );
    this.element = h(
      'aside',
      { class: 'panel', attrs: { 'aria-labelledby': 'panel-title' } },
      h('h2', { attrs: { id: 'panel-title' } }, 'VPS.org'),
      this.#external,
      this.#body,
      this.#problem,
    );
  }

  draw(state: VpsPanelState): void {
    if (state.kind === 'external') {
      this.#body.hidden = true;
      this.#external.hidden = false;
      this.#external.textContent = `The bot uses the real VPS.org at ${state.url}. This panel steers only the built-in simulator.`;
      return;
    }
    this.#count.textContent = `(${state.servers.length})`;
    for (const input of this.#failing) input.checked = input.value === state.failing;
    this.#balance.checked = state.balanceOk;
    reconcile(
      this.#rows,
      state.servers.map((server) => ({
        key: `${server.id}|${server.name}|${server.status}`,
        build: () => {
          const selectId = uid('status');
          const select = h(
            'select',
            {
              attrs: { id: selectId, 'aria-label': `Status of ${server.name}` },
              on: { change: () => void this.#do({ action: 'status', id: server.id, status: select.value }) },
            },
            ...[...new Set([server.status, ...STATUSES])].map((s) =>
              h('option', { attrs: { value: s, selected: s === server.status } }, s),
            ),
          );
          return h(
            'tr',
            {},
            h(
              'th',
              { attrs: { scope: 'row' } },
              h('span', { class: 'server-name' }, server.name),
              h('span', { class: 'server-meta' }, `ID ${server.id} · ${server.location}`),
            ),
            h(
              'td',
              {},
              h('span', {
                class: `dot ${STATUS_DOT[server.status] ?? 'busy'}`,
                attrs: { 'aria-hidden': 'true' },
              }),
              select,
            ),
          );
        },
      })),
    );
  }

  async #do(control: VpsControl): Promise<Answer> {
    this.#problem.textContent = '';
    const answer = await this.deps.control(control);
    if (!answer.ok) this.#problem.textContent = answer.error ?? 'VPS.org did not take that.';
    return answer;
  }
}
