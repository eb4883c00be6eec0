import { LIMITS } from './kit.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' ? value.text : undefined;
}

/**
 * Every way a message or modal breaks one of Slack's hard Block Kit limits, in words; empty when it
 * fits. Used by tests and by the benchmark, so "within Slack's limits" is checked, not assumed.
 */
export function limitViolations(message: object): string[] {
  const surface = message as Json;
  const problems: string[] = [];
  const modal = surface.type === 'modal';
  const blocks = Array.isArray(surface.blocks) ? surface.blocks : [];
  // A Home tab has the modal's limit of 100 blocks.
  const maxBlocks = modal || surface.type === 'home' ? LIMITS.blocksPerModal : LIMITS.blocksPerMessage;
  const over = (what: string, length: number, max: number) => {
    if (length > max) problems.push(`${what} is ${length} long (max ${max})`);
  };
  over('blocks', blocks.length, maxBlocks);
  if (typeof surface.text === 'string') over('message text', surface.text.length, LIMITS.messageText);
  if (modal) {
    over('modal title', textOf(surface.title)?.length ?? 0, LIMITS.modalTitle);
    over('modal submit', textOf(surface.submit)?.length ?? 0, LIMITS.modalButton);
    over('modal close', textOf(surface.close)?.length ?? 0, LIMITS.modalButton);
    if (typeof surface.private_metadata === 'string') {
      over('private_metadata', surface.private_metadata.length, LIMITS.privateMetadata);
    }
  }
  const blockIds = new Set<string>();
  // Slack's rule: an action_id is unique among the action_ids of its containing block.
  let actionIds = new Set<string>();
  const element = (where: string, el: unknown) => {
    if (!isObject(el)) return;
    if (typeof el.action_id === 'string') {
      over(`${where} action_id`, el.action_id.length, LIMITS.actionId);
      if (actionIds.has(el.action_id)) problems.push(`${where}: action_id ${el.action_id} is not unique`);
      actionIds.add(el.action_id);
    }
    if (el.type === 'button') {
      over(`${where} button text`, textOf(el.text)?.length ?? 0, LIMITS.buttonText);
      if (typeof el.value === 'string') over(`${where} button value`, el.value.length, LIMITS.buttonValue);
      if (typeof el.accessibility_label === 'string')
        over(`${where} accessibility_label`, el.accessibility_label.length, LIMITS.accessibilityLabel);
    }
    if (isObject(el.confirm)) {
      over(`${where} confirm title`, textOf(el.confirm.title)?.length ?? 0, LIMITS.confirmTitle);
      over(`${where} confirm text`, textOf(el.confirm.text)?.length ?? 0, LIMITS.confirmText);
      over(`${where} confirm button`, textOf(el.confirm.confirm)?.length ?? 0, LIMITS.confirmButton);
      over(`${where} deny button`, textOf(el.confirm.deny)?.length ?? 0, LIMITS.confirmButton);
    }
    if (Array.isArray(el.options)) {
      over(`${where} options`, el.options.length, LIMITS.selectOptions);
      for (const option of el.options) {
        if (!isObject(option)) continue;
        over(`${where} option text`, textOf(option.text)?.length ?? 0, LIMITS.optionText);
        if (typeof option.value === 'string')
          over(`${where} option value`, option.value.length, LIMITS.optionValue);
      }
    }
    if (isObject(el.placeholder))
      over(`${where} placeholder`, textOf(el.placeholder)?.length ?? 0, LIMITS.placeholder);
    if (el.type === 'plain_text_input') {
      const max = typeof el.max_length === 'number' ? el.max_length : LIMITS.plainTextInput;
      over(`${where} max_length`, max, LIMITS.plainTextInput);
      // Slack refuses a view whose field starts with more than the field takes.
      if (typeof el.initial_value === 'string') over(`${where} initial_value`, el.initial_value.length, max);
    }
  };
  for (const [index, block] of blocks.entries()) {
    const where = `block ${index + 1}`;
    actionIds = new Set<string>();
    if (!isObject(block)) {
      problems.push(`${where} is not an object`);
      continue;
    }
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) problems.push(`${where}: block_id ${block.block_id} is not unique`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        const text = textOf(block.text);
        const fields = Array.isArray(block.fields) ? block.fields : [];
        if (text === undefined && fields.length === 0)
          problems.push(`${where}: a section needs text or fields`);
        over(`${where} section text`, text?.length ?? 0, LIMITS.sectionText);
        over(`${where} fields`, fields.length, LIMITS.sectionFields);
        for (const field of fields) over(`${where} field`, textOf(field)?.length ?? 0, LIMITS.fieldText);
        element(where, block.accessory);
        break;
      }
      case 'header':
        over(`${where} header`, textOf(block.text)?.length ?? 0, LIMITS.headerText);
        break;
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        over(`${where} context elements`, elements.length, LIMITS.contextElements);
        for (const el of elements) over(`${where} context text`, textOf(el)?.length ?? 0, LIMITS.sectionText);
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) problems.push(`${where}: an actions block needs elements`);
        over(`${where} actions elements`, elements.length, LIMITS.actionsElements);
        for (const el of elements) element(where, el);
        break;
      }
      case 'input':
        over(`${where} label`, textOf(block.label)?.length ?? 0, LIMITS.fieldText);
        element(where, block.element);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type ${String(block.type)}`);
    }
  }
  return problems;
}
