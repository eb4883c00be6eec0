import { confirmDialog } from './dialogs.js';
import { h, uid } from './dom.js';
import { isObj, type Obj, obj, objs, optionsOf, str, textOf } from './kit.js';
import { mrkdwn, plainText, type TextContext } from './mrkdwn-dom.js';

export interface BlockContext extends TextContext {
  /** A person acted on an element: a button, a select, an overflow menu item. */
  act(element: Obj, value: string | undefined): Promise<void>;
}

export function textObject(text: Obj | undefined, ctx: TextContext): Node[] {
  if (text === undefined) return [];
  return str(text, 'type') === 'mrkdwn'
    ? mrkdwn(textOf(text), ctx)
    : plainText(textOf(text), text.emoji !== false);
}

/** Controls whose action is under way: a second click meanwhile is ignored. */
const busy = new WeakSet<HTMLElement>();

/**
 * Runs an action with the element marked busy meanwhile; a confirm object asks first. Not `disabled`:
 * a disabled button loses focus, and a modal the action opens would have nowhere to give it back.
 */
async function acting(
  control: HTMLButtonElement | HTMLSelectElement | HTMLInputElement,
  element: Obj,
  value: string | undefined,
  ctx: BlockContext,
) {
  if (busy.has(control)) return;
  const confirm = obj(element, 'confirm');
  if (confirm !== undefined && !(await confirmDialog(confirm, ctx))) return;
  busy.add(control);
  control.setAttribute('aria-disabled', 'true');
  control.setAttribute('aria-busy', 'true');
  try {
    await ctx.act(element, value);
  } finally {
    busy.delete(control);
    control.removeAttribute('aria-disabled');
    control.removeAttribute('aria-busy');
  }
}

function button(element: Obj, ctx: BlockContext): HTMLElement {
  const style = str(element, 'style');
  const url = str(element, 'url');
  const control: HTMLButtonElement = h(
    'button',
    {
      class: `bk-button${style === 'primary' || style === 'danger' ? ` ${style}` : ''}`,
      attrs: { type: 'button', 'aria-label': str(element, 'accessibility_label') },
      on: {
        click: () => {
          if (url !== undefined && /^https?:/i.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
          void acting(control, element, str(element, 'value'), ctx);
        },
      },
    },
    ...plainText(textOf(obj(element, 'text')), obj(element, 'text')?.emoji !== false),
  );
  return control;
}

function select(element: Obj, ctx: BlockContext): HTMLElement {
  const placeholder = textOf(obj(element, 'placeholder')) || 'Select an item';
  const initial = str(obj(element, 'initial_option') ?? {}, 'value');
  const control: HTMLSelectElement = h(
    'select',
    {
      class: 'bk-select',
      attrs: { 'aria-label': placeholder },
      on: { change: () => void acting(control, element, control.value, ctx) },
    },
    h('option', { attrs: { value: '', disabled: true, selected: initial === undefined } }, placeholder),
    ...optionsOf(element).map((o) =>
      h(
        'option',
        { attrs: { value: str(o, 'value') ?? '', selected: str(o, 'value') === initial } },
        textOf(obj(o, 'text')),
      ),
    ),
  );
  return control;
}

/** Slack's "⋯" menu: a button that opens a menu of items, each an action. */
function overflow(element: Obj, ctx: BlockContext): HTMLElement {
  const menuId = uid('menu');
  const wrap = h('div', {
    class: 'bk-overflow',
    on: {
      // The menu closes when focus leaves it, as a click elsewhere does.
      focusout: (event) => {
        if (!(event.relatedTarget instanceof Node && wrap.contains(event.relatedTarget))) close();
      },
    },
  });
  const close = () => {
    menu.hidden = true;
    trigger.setAttribute('aria-expanded', 'false');
  };
  const items = optionsOf(element).map((o) =>
    h(
      'button',
      {
        class: 'menu-item',
        attrs: { type: 'button', role: 'menuitem' },
        on: {
          click: () => {
            close();
            trigger.focus();
            void acting(trigger, element, str(o, 'value'), ctx);
          },
        },
      },
      textOf(obj(o, 'text')),
    ),
  );
  const menu = h(
    'div',
    {
      class: 'menu',
      attrs: { role: 'menu', id: menuId, hidden: true },
      on: {
        keydown: (event) => {
          const at = items.indexOf(document.activeElement as HTMLButtonElement);
          if (event.key === 'Escape') {
            close();
            trigger.focus();
          } else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
          else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
          else return;
          event.preventDefault();
          event.stopPropagation();
        },
      },
    },
    ...items,
  );
  const trigger: HTMLButtonElement = h(
    'button',
    {
      class: 'bk-button overflow-trigger',
      attrs: {
        type: 'button',
        'aria-haspopup': 'menu',
        'aria-expanded': 'false',
        'aria-controls': menuId,
        'aria-label': 'More actions',
      },
      on: {
        click: () => {
          const open = menu.hidden;
          menu.hidden = !open;
          trigger.setAttribute('aria-expanded', String(open));
          if (open) items[0]?.focus();
        },
      },
    },
    '⋯',
  );
  wrap.append(trigger, menu);
  return wrap;
}

function choices(element: Obj, ctx: BlockContext, kind: 'checkbox' | 'radio'): HTMLElement {
  const name = uid('choice');
  const initial = new Set(
    [
      ...objs(element, 'initial_options'),
      ...(isObj(element.initial_option) ? [element.initial_option] : []),
    ].map((o) => str(o, 'value')),
  );
  return h(
    'div',
    { class: 'bk-choices', attrs: { role: kind === 'radio' ? 'radiogroup' : 'group' } },
    ...optionsOf(element).map((o) => {
      const value = str(o, 'value') ?? '';
      const input: HTMLInputElement = h('input', {
        attrs: { type: kind, name, value, checked: initial.has(value) },
        on: { change: () => void acting(input, element, value, ctx) },
      });
      return h('label', { class: 'bk-choice' }, input, ' ', ...textObject(obj(o, 'text'), ctx));
    }),
  );
}

/** An interactive element in a message (section accessory, actions, context). */
export function element(element: Obj, ctx: BlockContext): HTMLElement {
  switch (str(element, 'type')) {
    case 'button':
      return button(element, ctx);
    case 'static_select':
    case 'external_select':
      return select(element, ctx);
    case 'overflow':
      return overflow(element, ctx);
    case 'checkboxes':
      return choices(element, ctx, 'checkbox');
    case 'radio_buttons':
      return choices(element, ctx, 'radio');
    case 'image':
      return h('span', { class: 'bk-image' }, `[image: ${str(element, 'alt_text') ?? ''}]`);
    case 'mrkdwn':
    case 'plain_text':
      return h('span', { class: 'bk-text' }, ...textObject(element, ctx));
    default:
      return h(
        'span',
        { class: 'bk-unsupported' },
        `[${str(element, 'type') ?? 'element'} is not drawn here]`,
      );
  }
}

function section(block: Obj, ctx: BlockContext): HTMLElement {
  const text = obj(block, 'text');
  const fields = objs(block, 'fields');
  const accessory = obj(block, 'accessory');
  return h(
    'div',
    { class: 'bk-section' },
    h(
      'div',
      { class: 'bk-section-main' },
      text && h('div', { class: 'bk-text' }, ...textObject(text, ctx)),
      fields.length > 0 &&
        h(
          'div',
          { class: 'bk-fields' },
          ...fields.map((f) => h('div', { class: 'bk-field' }, ...textObject(f, ctx))),
        ),
    ),
    accessory && h('div', { class: 'bk-accessory' }, element(accessory, ctx)),
  );
}

function richText(block: Obj): string {
  const walk = (value: unknown): string => {
    if (Array.isArray(value)) return value.map(walk).join('');
    if (!isObj(value)) return '';
    if (typeof value.text === 'string') return value.text;
    return walk(value.elements);
  };
  return walk(block.elements);
}

/** One block of a message or of a modal's non-input part. */
export function block(block: Obj, ctx: BlockContext): HTMLElement {
  switch (str(block, 'type')) {
    case 'section':
      return section(block, ctx);
    case 'header':
      return h('h3', { class: 'bk-header' }, ...plainText(textOf(obj(block, 'text'))));
    case 'context':
      return h(
        'div',
        { class: 'bk-context' },
        ...objs(block, 'elements').map((e) =>
          str(e, 'type') === 'image'
            ? h('span', { class: 'bk-image' }, str(e, 'alt_text') ?? '')
            : h('span', {}, ...textObject(e, ctx)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'actions':
      return h('div', { class: 'bk-actions' }, ...objs(block, 'elements').map((e) => element(e, ctx)));
    case 'image':
      return h('figure', { class: 'bk-image' }, `[image: ${str(block, 'alt_text') ?? ''}]`);
    case 'rich_text':
      return h('div', { class: 'bk-text' }, richText(block));
    default:
      return h(
        'div',
        { class: 'bk-unsupported' },
        `[a ${str(block, 'type') ?? 'block'} block is not drawn here]`,
      );
  }
}

export function blocks(list: readonly unknown[], ctx: BlockContext): HTMLElement {
  return h('div', { class: 'bk-blocks' }, ...list.filter(isObj).map((b) => block(b, ctx)));
}
