/**
 * The page's only way to make DOM: elements with attributes and text nodes. Nothing is ever parsed as
 * HTML, so text from the bot or VPS.org (a server named `<img onerror=…>`) stays text.
 */

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  attrs?: Record<string, string | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    // Handlers go through `on`, as functions; an attribute can never carry script.
    if (/^on/i.test(name)) throw new Error(`h(): ${name} is not an attribute the page sets`);
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, handler as EventListener);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

let counter = 0;

/** A unique id for aria-labelledby and friends. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * Makes `container`'s children the given keyed items, reusing the element of every key that is still
 * there: an unchanged message keeps its DOM, and with it focus and scroll position.
 */
export function reconcile(
  container: HTMLElement,
  items: readonly { key: string; build: () => HTMLElement }[],
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(container.children)) {
    if (child instanceof HTMLElement && child.dataset.key !== undefined)
      existing.set(child.dataset.key, child);
  }
  let cursor: ChildNode | null = container.firstChild;
  const kept = new Set<HTMLElement>();
  for (const item of items) {
    let element = existing.get(item.key);
    if (element === undefined || kept.has(element)) {
      element = item.build();
      element.dataset.key = item.key;
    }
    kept.add(element);
    if (element === cursor) cursor = cursor.nextSibling;
    else container.insertBefore(element, cursor);
  }
  for (const child of Array.from(container.children)) {
    if (child instanceof HTMLElement && !kept.has(child)) child.remove();
  }
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest('[hidden]'));
}

/** Tab and Shift+Tab stay inside `root`; Escape calls `onEscape`. */
export function trapFocus(root: HTMLElement, onEscape: () => void): void {
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onEscape();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = focusables(root);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
}

/**
 * While a dialog is over the page, focus stays in the topmost one: a click on its backdrop keeps focus
 * where it was, and focus that reaches the page behind (a script, an assistive tool) is brought back.
 */
export function keepFocusInOverlays(): void {
  const topmost = (): HTMLElement | undefined => {
    const overlays = document.querySelectorAll<HTMLElement>('.overlay');
    return overlays[overlays.length - 1];
  };
  document.addEventListener('mousedown', (event) => {
    if (event.target instanceof HTMLElement && event.target.classList.contains('overlay'))
      event.preventDefault();
  });
  document.addEventListener('focusin', (event) => {
    const top = topmost();
    if (top === undefined || !(event.target instanceof Node)) return;
    if (event.target instanceof Element && event.target.closest('.overlay') !== null) return;
    const dialog = top.querySelector<HTMLElement>('[role="dialog"]') ?? top;
    (focusables(dialog)[0] ?? dialog).focus();
  });
}
