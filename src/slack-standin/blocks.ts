import { createHash } from 'node:crypto';
import { isRecord } from './args.js';

export interface PlacedElement {
  element: Record<string, unknown>;
  blockId: string;
}

export interface ButtonInfo {
  actionId: string;
  value: string | undefined;
  text: string | undefined;
  style: string | undefined;
}

/** Slack gives every block without a block_id a short generated one; content-derived here, so repeatable. */
export function autoBlockId(block: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(block)).digest('base64url').slice(0, 5);
}

export function blockIdOf(block: Record<string, unknown>): string {
  return typeof block.block_id === 'string' ? block.block_id : autoBlockId(block);
}

/** The blocks as Slack stores them: each with a block_id, unique within the message or view (two dividers too). */
export function withBlockIds(blocks: readonly unknown[]): unknown[] {
  const used = new Set(
    blocks.flatMap((block) =>
      isRecord(block) && typeof block.block_id === 'string' ? [block.block_id] : [],
    ),
  );
  return blocks.map((block) => {
    if (!isRecord(block) || typeof block.block_id === 'string') return block;
    let id = autoBlockId(block);
    for (let n = 2; used.has(id); n += 1) id = autoBlockId({ ...block, n });
    used.add(id);
    return { ...block, block_id: id };
  });
}

/** Every element a user can act on: section accessories, actions blocks' elements, input blocks' elements. */
export function interactiveElements(blocks: readonly unknown[]): PlacedElement[] {
  const found: PlacedElement[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    const blockId = blockIdOf(block);
    if (isRecord(block.accessory)) found.push({ element: block.accessory, blockId });
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const element of block.elements) if (isRecord(element)) found.push({ element, blockId });
    }
    if (block.type === 'input' && isRecord(block.element)) found.push({ element: block.element, blockId });
  }
  return found;
}

export function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function buttons(blocks: readonly unknown[]): ButtonInfo[] {
  return interactiveElements(blocks)
    .filter(({ element }) => element.type === 'button')
    .map(({ element }) => ({
      actionId: String(element.action_id),
      value: optionalString(element.value),
      text: textOf(element.text),
      style: optionalString(element.style),
    }));
}

/** The options of a select, overflow, radio or checkbox element, option groups flattened. */
export function optionsOf(element: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const options: Record<string, unknown>[] = [];
  let hasOptions = false;
  if (Array.isArray(element.options)) {
    hasOptions = true;
    options.push(...element.options.filter(isRecord));
  }
  if (Array.isArray(element.option_groups)) {
    hasOptions = true;
    for (const group of element.option_groups) {
      if (isRecord(group) && Array.isArray(group.options)) options.push(...group.options.filter(isRecord));
    }
  }
  return hasOptions ? options : undefined;
}
