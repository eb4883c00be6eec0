import { focusables, h, trapFocus, uid } from './dom.js';
import { type Obj, obj, str, textOf } from './kit.js';
import { mrkdwn, plainText, type TextContext } from './mrkdwn-dom.js';

/** Puts a dialog over the page; returns a function that takes it away and gives focus back. */
export function showOverlay(dialog: HTMLElement, onEscape: () => void): () => void {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const overlay = h('div', { class: 'overlay' }, dialog);
  trapFocus(dialog, onEscape);
  document.body.appendChild(overlay);
  (focusables(dialog)[0] ?? dialog).focus();
  return () => {
    overlay.remove();
    if (before?.isConnected) before.focus();
  };
}

function textObject(text: Obj | undefined, ctx: TextContext): Node[] {
  if (text === undefined) return [];
  return str(text, 'type') === 'mrkdwn'
    ? mrkdwn(textOf(text), ctx)
    : plainText(textOf(text), text.emoji !== false);
}

/**
 * A Block Kit confirm object as Slack shows it: a dialog (role dialog, modal) named by its title, its text, and the confirm
 * and deny buttons. Resolves true on confirm; deny, Escape or the close button resolve false.
 */
export function confirmDialog(confirm: Obj, ctx: TextContext): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uid('confirm-title');
    const textId = uid('confirm-text');
    let close: () => void = () => {};
    const done = (answer: boolean) => {
      close();
      resolve(answer);
    };
    const danger = str(confirm, 'style') === 'danger';
    const dialog = h(
      'div',
      {
        class: 'dialog confirm',
        attrs: {
          role: 'dialog',
          'aria-modal': 'true',
          'aria-labelledby': titleId,
          'aria-describedby': textId,
          tabindex: '-1',
        },
      },
      h('h2', { attrs: { id: titleId } }, ...plainText(textOf(obj(confirm, 'title')) || 'Are you sure?')),
      h('div', { class: 'dialog-body', attrs: { id: textId } }, ...textObject(obj(confirm, 'text'), ctx)),
      h(
        'div',
        { class: 'dialog-buttons' },
        h(
          'button',
          { class: 'bk-button', attrs: { type: 'button' }, on: { click: () => done(false) } },
          ...plainText(textOf(obj(confirm, 'deny')) || 'Cancel'),
        ),
        h(
          'button',
          {
            class: `bk-button ${danger ? 'danger' : 'primary'}`,
            attrs: { type: 'button' },
            on: { click: () => done(true) },
          },
          ...plainText(textOf(obj(confirm, 'confirm')) || 'Yes'),
        ),
      ),
    );
    close = showOverlay(dialog, () => done(false));
  });
}
