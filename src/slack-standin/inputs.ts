import type { SlackOption } from './types.js';

export type InputValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select'; selected_option: SlackOption | null }
  | { type: 'checkboxes'; selected_options: SlackOption[] }
  | { type: 'radio_buttons'; selected_option: SlackOption | null };

/** `view.state.values`: block_id -> action_id -> value. */
export type ViewValues = Record<string, Record<string, InputValue>>;

export function option(value: string, text: string = value): SlackOption {
  return { text: { type: 'plain_text', text, emoji: true }, value };
}

export function textValue(value: string | null): InputValue {
  return { type: 'plain_text_input', value };
}

/** The option's text defaults to its value; submitView puts in the view's own text for the option. */
export function selectValue(value: string, text?: string): InputValue {
  return { type: 'static_select', selected_option: option(value, text) };
}

export function checkboxesValue(values: readonly string[]): InputValue {
  return { type: 'checkboxes', selected_options: values.map((value) => option(value)) };
}

export function radioValue(value: string, text?: string): InputValue {
  return { type: 'radio_buttons', selected_option: option(value, text) };
}
