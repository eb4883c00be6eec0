import type { ViewOutput } from '@slack/bolt';
import { INPUT_LIMITS, tooLong } from '../../input-limits.js';
import { INPUT } from '../ids.js';

type Values = ViewOutput['state']['values'];

/** The most each text field of the bot's forms takes; the forms carry the same as `max_length`. */
const FIELD_MAX: Record<string, number> = {
  [INPUT.name]: INPUT_LIMITS.field.name,
  [INPUT.hostname]: INPUT_LIMITS.field.hostname,
  [INPUT.planOther]: INPUT_LIMITS.field.id,
  [INPUT.osOther]: INPUT_LIMITS.field.id,
  [INPUT.sshKey]: INPUT_LIMITS.field.id,
  [INPUT.locationOther]: INPUT_LIMITS.field.location,
};

/**
 * What a submitted form holds beyond its bounds, as Slack's field errors (block id → sentence), or
 * undefined when everything is within them. Checked before anything else reads the values: Slack
 * stops the typing at `max_length`, but a submission is only as trustworthy as what sent it.
 */
export function oversizedFields(values: Values): Record<string, string> | undefined {
  const problems: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    for (const input of Object.values(actions)) {
      const typed = input.value;
      const max = FIELD_MAX[blockId] ?? INPUT_LIMITS.field.any;
      if (typeof typed === 'string' && typed.length > max) {
        problems[blockId] = tooLong('That', typed.length, max);
      }
      const options = [
        ...(input.selected_option ? [input.selected_option] : []),
        ...(input.selected_options ?? []),
      ];
      if (options.some((option) => String(option.value ?? '').length > INPUT_LIMITS.optionValue)) {
        problems[blockId] = 'That choice is not one the form offered. Choose again.';
      }
    }
  }
  return Object.keys(problems).length > 0 ? problems : undefined;
}
