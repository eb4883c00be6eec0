import type { Answer, FormValues, InputValue } from '../protocol.js';
import { type BlockContext, block, textObject } from './blocks.js';
import { focusables, h, trapFocus, uid } from './dom.js';
import { isObj, type Obj, obj, objs, optionsOf, str, textOf } from './kit.js';
import { plainText } from './mrkdwn-dom.js';

export interface ModalContext extends Omit<BlockContext, 'act'> {
  act(viewId: string, element: Obj, value: string | undefined): Promise<void>;
  submit(viewId: string, values: FormValues): Promise<Answer>;
  /** Close (or Back) the top view. */
  close(back: boolean): Promise<void>;
}

interface Field {
  blockId: string;
  actionId: string;
  read(): InputValue | undefined;
  control: HTMLElement;
  error: HTMLElement;
}

function inputBlock(b: Obj, fields: Field[]): HTMLElement {
  const element = obj(b, 'element') ?? {};
  const blockId = str(b, 'block_id') ?? '';
  const actionId = str(element, 'action_id') ?? '';
  const type = str(element, 'type');
  const id = uid('input');
  const hintId = uid('hint');
  const errorId = uid('error');
  const optional = b.optional === true;
  const labelText = [...plainText(textOf(obj(b, 'label')))];
  const hint = obj(b, 'hint');
  const error = h('p', { class: 'field-error', attrs: { id: errorId, hidden: true } });
  const described = [hint ? hintId : undefined, errorId].filter(Boolean).join(' ');
  const hintNode = hint && h('p', { class: 'hint', attrs: { id: hintId } }, ...plainText(textOf(hint)));
  const optionalNode = optional && h('span', { class: 'optional' }, ' (optional)');
  const field = (control: HTMLElement, read: Field['read']) =>
    fields.push({ blockId, actionId, read, control, error });

  if (type === 'plain_text_input') {
    const attrs = {
      id,
      'aria-describedby': described,
      placeholder: textOf(obj(element, 'placeholder')) || undefined,
      maxlength: typeof element.max_length === 'number' ? String(element.max_length) : undefined,
      required: !optional,
    };
    const control =
      element.multiline === true
        ? h('textarea', { attrs: { ...attrs, rows: '3' } })
        : h('input', { attrs: { ...attrs, type: 'text', autocomplete: 'off' } });
    control.value = str(element, 'initial_value') ?? '';
    field(control, () => ({ type: 'plain_text_input', value: control.value === '' ? null : control.value }));
    return h(
      'div',
      { class: 'bk-input' },
      h('label', { attrs: { for: id } }, ...labelText, optionalNode),
      control,
      hintNode,
      error,
    );
  }
  if (type === 'static_select') {
    const initial = str(obj(element, 'initial_option') ?? {}, 'value');
    const placeholder = textOf(obj(element, 'placeholder')) || 'Select an item';
    const control = h(
      'select',
      { attrs: { id, 'aria-describedby': described, required: !optional } },
      h('option', { attrs: { value: '', selected: initial === undefined } }, placeholder),
      ...optionsOf(element).map((o) =>
        h(
          'option',
          { attrs: { value: str(o, 'value') ?? '', selected: str(o, 'value') === initial } },
          textOf(obj(o, 'text')),
        ),
      ),
    );
    field(control, () => ({
      type: 'static_select',
      selected_option: control.value === '' ? null : { value: control.value },
    }));
    return h(
      'div',
      { class: 'bk-input' },
      h('label', { attrs: { for: id } }, ...labelText, optionalNode),
      control,
      hintNode,
      error,
    );
  }
  if (type === 'checkboxes' || type === 'radio_buttons') {
    const kind = type === 'checkboxes' ? 'checkbox' : 'radio';
    const name = uid('choice');
    const initial = new Set(
      [
        ...objs(element, 'initial_options'),
        ...(isObj(element.initial_option) ? [element.initial_option] : []),
      ].map((o) => str(o, 'value')),
    );
    const inputs = optionsOf(element).map((o) => {
      const value = str(o, 'value') ?? '';
      return {
        value,
        input: h('input', { attrs: { type: kind, name, value, checked: initial.has(value) } }),
        text: obj(o, 'text'),
      };
    });
    const group = h(
      'fieldset',
      { class: 'bk-choices', attrs: { 'aria-describedby': described } },
      h('legend', {}, ...labelText, optionalNode),
      ...inputs.map(({ input, text }) =>
        h('label', { class: 'bk-choice' }, input, ' ', ...plainText(textOf(text))),
      ),
    );
    const chosen = () => inputs.filter(({ input }) => input.checked).map(({ value }) => ({ value }));
    field(group, () =>
      type === 'checkboxes'
        ? { type: 'checkboxes', selected_options: chosen() }
        : { type: 'radio_buttons', selected_option: chosen()[0] ?? null },
    );
    return h('div', { class: 'bk-input' }, group, hintNode, error);
  }
  return h(
    'div',
    { class: 'bk-input' },
    h('p', {}, ...labelText),
    h('p', { class: 'bk-unsupported' }, `[a ${type ?? 'form'} field is not drawn here]`),
  );
}

/** The person's open modals: the top one as a dialog, redrawn only when the bot changes it. */
export class ModalHost {
  #overlay: HTMLElement | undefined;
  #shownKey: string | undefined;
  #returnFocus: HTMLElement | undefined;
  /** The last element focused outside any dialog: where focus goes back when a modal closes. */
  #lastFocus: HTMLElement | undefined;

  /** `fallback` takes focus when the element that had it is gone (its message was redrawn). */
  constructor(private readonly fallback: () => void = () => {}) {
    document.addEventListener('focusin', (event) => {
      const target = event.target;
      if (target instanceof HTMLElement && target.closest('.overlay') === null) this.#lastFocus = target;
    });
  }

  update(stack: readonly Obj[], ctx: ModalContext): void {
    const top = stack.at(-1);
    if (top === undefined) {
      this.#dismiss();
      return;
    }
    const key = `${str(top, 'id')}:${str(top, 'hash')}:${stack.length}`;
    if (key === this.#shownKey) return;
    this.#shownKey = key;
    if (this.#overlay === undefined) {
      const active = document.activeElement;
      // A modal that the bot opens after a click comes while focus may have moved on to <body>.
      this.#returnFocus =
        active instanceof HTMLElement && active !== document.body && active.closest('.overlay') === null
          ? active
          : this.#lastFocus;
      this.#overlay = h('div', { class: 'overlay' });
      document.body.appendChild(this.#overlay);
    }
    const dialog = this.#dialog(top, stack.length > 1, ctx);
    this.#overlay.replaceChildren(dialog);
    const first =
      dialog.querySelector<HTMLElement>('input, select, textarea') ?? focusables(dialog)[0] ?? dialog;
    first.focus();
  }

  #dismiss(): void {
    if (this.#overlay === undefined) return;
    this.#overlay.remove();
    this.#overlay = undefined;
    this.#shownKey = undefined;
    const back = this.#returnFocus;
    this.#returnFocus = undefined;
    if (back?.isConnected && !back.closest('[hidden]')) back.focus();
    else this.fallback();
  }

  #dialog(view: Obj, stacked: boolean, ctx: ModalContext): HTMLElement {
    const viewId = str(view, 'id') ?? '';
    const titleId = uid('modal-title');
    const fields: Field[] = [];
    const blockCtx: BlockContext = { ...ctx, act: (element, value) => ctx.act(viewId, element, value) };
    const body = objs(view, 'blocks').map((b) =>
      str(b, 'type') === 'input' ? inputBlock(b, fields) : block(b, blockCtx),
    );
    const problem = h('p', { class: 'form-problem', attrs: { role: 'alert', hidden: true } });
    const submitText = obj(view, 'submit');
    const submit =
      submitText &&
      h(
        'button',
        { class: 'bk-button primary', attrs: { type: 'submit' } },
        ...plainText(textOf(submitText)),
      );
    const close = () => void ctx.close(false);
    const form = h(
      'form',
      {
        class: 'modal-form',
        attrs: { novalidate: true },
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#submit(viewId, fields, problem, submit, ctx);
          },
        },
      },
      h('div', { class: 'modal-body' }, problem, ...body),
      h(
        'div',
        { class: 'dialog-buttons' },
        h(
          'button',
          { class: 'bk-button', attrs: { type: 'button' }, on: { click: close } },
          ...plainText(textOf(obj(view, 'close')) || 'Cancel'),
        ),
        submit,
      ),
    );
    const dialog = h(
      'div',
      {
        class: 'dialog modal',
        attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1' },
      },
      h(
        'div',
        { class: 'modal-head' },
        stacked &&
          h(
            'button',
            {
              class: 'icon-button',
              attrs: { type: 'button', 'aria-label': 'Back' },
              on: { click: () => void ctx.close(true) },
            },
            '‹',
          ),
        h('h2', { attrs: { id: titleId } }, ...plainText(textOf(obj(view, 'title')))),
        h(
          'button',
          { class: 'icon-button', attrs: { type: 'button', 'aria-label': 'Close' }, on: { click: close } },
          '×',
        ),
      ),
      form,
    );
    trapFocus(dialog, close);
    return dialog;
  }

  async #submit(
    viewId: string,
    fields: Field[],
    problem: HTMLElement,
    submit: HTMLButtonElement | undefined,
    ctx: ModalContext,
  ) {
    const values: FormValues = {};
    for (const f of fields) {
      const value = f.read();
      if (value === undefined) continue;
      values[f.blockId] = { ...values[f.blockId], [f.actionId]: value };
      f.error.hidden = true;
      f.error.textContent = '';
      f.control.removeAttribute('aria-invalid');
    }
    problem.hidden = true;
    if (submit) {
      submit.disabled = true;
      submit.setAttribute('aria-busy', 'true');
    }
    try {
      const answer = await ctx.submit(viewId, values);
      if (!answer.ok) {
        problem.textContent = answer.error ?? 'The form could not be sent.';
        problem.hidden = false;
      }
      let first: HTMLElement | undefined;
      for (const [blockId, message] of Object.entries(answer.errors ?? {})) {
        const f = fields.find((candidate) => candidate.blockId === blockId);
        if (!f) continue;
        f.error.textContent = message;
        f.error.hidden = false;
        f.control.setAttribute('aria-invalid', 'true');
        first ??= f.control;
      }
      first?.focus();
    } finally {
      if (submit?.isConnected) {
        submit.disabled = false;
        submit.removeAttribute('aria-busy');
      }
    }
  }
}

export { textObject };
