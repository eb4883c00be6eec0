import { isRecord } from './args.js';
import { blockIdOf, optionsOf } from './blocks.js';
import type { InputValue, ViewValues } from './inputs.js';

type StateValues = Record<string, Record<string, Record<string, unknown>>>;

interface Input {
  blockId: string;
  actionId: string;
  element: Record<string, unknown>;
}

function inputsOf(blocks: readonly unknown[]): Input[] {
  const inputs: Input[] = [];
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) continue;
    const actionId = block.element.action_id;
    if (typeof actionId === 'string')
      inputs.push({ blockId: blockIdOf(block), actionId, element: block.element });
  }
  return inputs;
}

/** What Slack reports for an input the user left alone. */
function emptyValue(element: Record<string, unknown>): Record<string, unknown> {
  const type = String(element.type);
  if (type === 'checkboxes' || type.startsWith('multi_')) return { type, selected_options: [] };
  if (type === 'static_select' || type === 'radio_buttons' || type === 'external_select') {
    return { type, selected_option: null };
  }
  return { type, value: null };
}

function selectedOptions(value: InputValue): { value: string }[] {
  if (value.type === 'checkboxes') return value.selected_options;
  if (value.type === 'static_select' || value.type === 'radio_buttons') {
    return value.selected_option === null ? [] : [value.selected_option];
  }
  return [];
}

/** Slack sends the option as the view defined it, so the view's own text replaces the constructor's guess. */
function resolved(value: InputValue, input: Input): Record<string, unknown> {
  const options = optionsOf(input.element);
  if (options === undefined) return value;
  const lookup = (wanted: { value: string }) => {
    const found = options.find((o) => o.value === wanted.value);
    if (found === undefined) {
      const known = options.map((o) => JSON.stringify(o.value)).join(', ');
      throw new Error(
        `SlackStandin: input ${input.blockId}/${input.actionId} has no option ${JSON.stringify(wanted.value)}; options: ${known}`,
      );
    }
    return found;
  };
  const chosen = selectedOptions(value).map(lookup);
  if (value.type === 'checkboxes') return { ...value, selected_options: chosen };
  return { ...value, selected_option: chosen[0] ?? null };
}

/**
 * The `state.values` of a submission: every input block of the view, filled from `values`, empty otherwise.
 * Values naming an input the view lacks throw, so a test cannot submit a form the bot never showed.
 */
export function stateValues(blocks: readonly unknown[], values: ViewValues): StateValues {
  const inputs = inputsOf(blocks);
  const state: StateValues = {};
  for (const input of inputs) {
    const given = values[input.blockId]?.[input.actionId];
    const entry = given === undefined ? emptyValue(input.element) : resolved(given, input);
    state[input.blockId] = { ...state[input.blockId], [input.actionId]: entry };
  }
  for (const [blockId, actions] of Object.entries(values)) {
    for (const actionId of Object.keys(actions)) {
      if (!inputs.some((i) => i.blockId === blockId && i.actionId === actionId)) {
        const known = inputs.map((i) => `${i.blockId}/${i.actionId}`).join(', ') || 'none';
        throw new Error(`SlackStandin: the view has no input ${blockId}/${actionId}; inputs: ${known}`);
      }
    }
  }
  return state;
}
