import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { oversizedFields } from '../../src/slack/handlers/form-input.js';
import { INPUT } from '../../src/slack/ids.js';

type Field = Parameters<typeof oversizedFields>[0][string];

const typed = (value: string): Field => ({ [INPUT.value]: { type: 'plain_text_input', value } });
const chosen = (value: string): Field => ({
  [INPUT.value]: {
    type: 'static_select',
    selected_option: { text: { type: 'plain_text', text: 'x' }, value },
  },
});

describe('oversizedFields', () => {
  it('passes a form within its bounds', () => {
    expect(
      oversizedFields({
        [INPUT.name]: typed('n'.repeat(INPUT_LIMITS.field.name)),
        [INPUT.hostname]: typed('h'.repeat(INPUT_LIMITS.field.hostname)),
        [INPUT.planOther]: typed('1'.repeat(INPUT_LIMITS.field.id)),
        [INPUT.locationOther]: typed('l'.repeat(INPUT_LIMITS.field.location)),
        [INPUT.plan]: chosen('v'.repeat(INPUT_LIMITS.optionValue)),
        [INPUT.confirmName]: typed('c'.repeat(INPUT_LIMITS.field.any)),
      }),
    ).toBeUndefined();
  });

  it('names each field past its bound with how long it was and the most', () => {
    expect(
      oversizedFields({
        [INPUT.name]: typed('n'.repeat(64)),
        [INPUT.hostname]: typed('h'.repeat(254)),
        [INPUT.sshKey]: typed('1'.repeat(17)),
        [INPUT.locationOther]: typed('l'.repeat(100_000)),
        [INPUT.confirmName]: typed('c'.repeat(3001)),
        [INPUT.os]: chosen('v'.repeat(151)),
      }),
    ).toEqual({
      [INPUT.name]: 'That is too long (64 characters; the most is 63).',
      [INPUT.hostname]: 'That is too long (254 characters; the most is 253).',
      [INPUT.sshKey]: 'That is too long (17 characters; the most is 16).',
      [INPUT.locationOther]: 'That is too long (100,000 characters; the most is 64).',
      [INPUT.confirmName]: 'That is too long (3,001 characters; the most is 3,000).',
      [INPUT.os]: 'That choice is not one the form offered. Choose again.',
    });
  });
});
