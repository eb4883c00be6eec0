import { interactiveElements, optionsOf, type PlacedElement } from './blocks.js';
import { actionTs } from './ids.js';

interface Match extends PlacedElement {
  option?: Record<string, unknown>;
}

function describeElement({ element }: PlacedElement): string {
  const options = optionsOf(element);
  const detail =
    options !== undefined
      ? `options ${options.map((o) => JSON.stringify(o.value)).join(', ')}`
      : element.value !== undefined
        ? `value ${JSON.stringify(element.value)}`
        : 'no value';
  return `${JSON.stringify(element.action_id)} (${String(element.type)}, ${detail})`;
}

function describeAll(elements: PlacedElement[]): string {
  if (elements.length === 0) return 'there are no interactive elements';
  return `present: ${elements.map(describeElement).join('; ')}`;
}

/** The one element (and option) a click on `actionId`/`value` hits; throws, naming what is there, otherwise. */
export function findAction(blocks: readonly unknown[], actionId: string, value?: string): Match {
  const all = interactiveElements(blocks).filter(({ element }) => typeof element.action_id === 'string');
  const candidates = all.filter(({ element }) => element.action_id === actionId);
  const wanted =
    value === undefined
      ? `action_id ${JSON.stringify(actionId)}`
      : `action_id ${JSON.stringify(actionId)} and value ${JSON.stringify(value)}`;
  if (candidates.length === 0)
    throw new Error(`SlackStandin: no element with ${wanted}; ${describeAll(all)}`);
  const matches: Match[] = [];
  for (const candidate of candidates) {
    const options = optionsOf(candidate.element);
    if (options === undefined) {
      if (value === undefined || candidate.element.value === value) matches.push(candidate);
    } else if (value !== undefined) {
      for (const option of options) if (option.value === value) matches.push({ ...candidate, option });
    }
  }
  if (matches.length === 0) {
    const hint = value === undefined ? ' (a select, overflow, radio or checkbox needs the option value)' : '';
    throw new Error(`SlackStandin: no element with ${wanted}${hint}; ${describeAll(all)}`);
  }
  const [match, ...others] = matches;
  if (match === undefined || others.length > 0) {
    throw new Error(
      `SlackStandin: ${matches.length} elements have ${wanted}; pass a value to pick one. ${describeAll(candidates)}`,
    );
  }
  return match;
}

/** The `actions[0]` entry Slack sends for a click on the matched element. */
export function actionFor(match: Match, nowMs: number = Date.now()): Record<string, unknown> {
  const { element, blockId, option } = match;
  const base = { type: element.type, action_id: element.action_id, block_id: blockId };
  const ts = actionTs(nowMs);
  if (element.type === 'button') {
    return {
      ...base,
      text: element.text,
      value: element.value,
      ...(element.style ? { style: element.style } : {}),
      action_ts: ts,
    };
  }
  if (element.type === 'checkboxes') return { ...base, selected_options: [option], action_ts: ts };
  if (option !== undefined) {
    const placeholder = element.placeholder === undefined ? {} : { placeholder: element.placeholder };
    return { ...base, selected_option: option, ...placeholder, action_ts: ts };
  }
  return { ...base, ...(element.value === undefined ? {} : { value: element.value }), action_ts: ts };
}
