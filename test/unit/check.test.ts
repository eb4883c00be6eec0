import { describe, expect, it } from 'vitest';
import { limitViolations } from '../../src/slack/blocks/check.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (actionId: string, text = 'Go', value = 'v') => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
  value,
});

describe('limitViolations', () => {
  it('passes a message that fits', () => {
    expect(
      limitViolations({
        text: 'hi',
        blocks: [
          section('hello'),
          { type: 'divider' },
          { type: 'actions', elements: [button('a'), button('b')] },
        ],
      }),
    ).toEqual([]);
  });

  it('catches 51 blocks in a message, but allows them in a modal', () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    const problems = limitViolations({ blocks });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('blocks is 51 long (max 50)');
    expect(limitViolations({ blocks: blocks.slice(0, 50) })).toEqual([]);
    expect(limitViolations({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks })).toEqual([]);
    expect(
      limitViolations({
        type: 'modal',
        title: { type: 'plain_text', text: 'T' },
        blocks: [...blocks, ...blocks],
      }),
    ).toEqual(['blocks is 102 long (max 100)']);
  });

  it('catches a 76-character button label, and allows 75', () => {
    const problems = limitViolations({
      blocks: [{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }],
    });
    expect(problems).toEqual(['block 1 button text is 76 long (max 75)']);
    expect(
      limitViolations({ blocks: [{ type: 'actions', elements: [button('a', 'x'.repeat(75))] }] }),
    ).toEqual([]);
    const accessory = { ...section('row'), accessory: button('b', 'y'.repeat(80)) };
    expect(limitViolations({ blocks: [accessory] })).toEqual(['block 1 button text is 80 long (max 75)']);
  });

  it('catches duplicate action_ids within a block (Slack allows them across blocks) and duplicate block_ids', () => {
    expect(
      limitViolations({ blocks: [{ type: 'actions', elements: [button('same'), button('same')] }] }),
    ).toEqual(['block 1: action_id same is not unique']);
    const problems = limitViolations({
      blocks: [
        { type: 'actions', block_id: 'b', elements: [button('same')] },
        { ...section('x'), block_id: 'b', accessory: button('same') },
      ],
    });
    expect(problems).toEqual(['block 2: block_id b is not unique']);
  });

  it('catches 11 fields in a section, and allows 10', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'mrkdwn', text: `f${i}` }));
    expect(limitViolations({ blocks: [{ type: 'section', fields: fields(11) }] })).toEqual([
      'block 1 fields is 11 long (max 10)',
    ]);
    expect(limitViolations({ blocks: [{ type: 'section', fields: fields(10) }] })).toEqual([]);
  });

  it('catches a 3001-character section, and allows 3000', () => {
    expect(limitViolations({ blocks: [section('x'.repeat(3001))] })).toEqual([
      'block 1 section text is 3001 long (max 3000)',
    ]);
    expect(limitViolations({ blocks: [section('x'.repeat(3000))] })).toEqual([]);
  });

  it('catches other broken limits', () => {
    expect(limitViolations({ text: 'x'.repeat(40_001), blocks: [] })).toEqual([
      'message text is 40001 long (max 40000)',
    ]);
    expect(
      limitViolations({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }),
    ).toHaveLength(1);
    expect(limitViolations({ blocks: [{ type: 'actions', elements: [] }] })).toEqual([
      'block 1: an actions block needs elements',
    ]);
    expect(limitViolations({ blocks: [{ type: 'section' }] })).toEqual([
      'block 1: a section needs text or fields',
    ]);
    expect(limitViolations({ blocks: [{ type: 'carousel' }] })).toEqual([
      'block 1: unexpected block type carousel',
    ]);
    expect(limitViolations({ blocks: ['oops'] })).toEqual(['block 1 is not an object']);
    expect(
      limitViolations({
        type: 'modal',
        title: { type: 'plain_text', text: 't'.repeat(25) },
        private_metadata: 'm'.repeat(3001),
        blocks: [],
      }),
    ).toEqual(['modal title is 25 long (max 24)', 'private_metadata is 3001 long (max 3000)']);
    const options = Array.from({ length: 101 }, (_, i) => ({
      text: { type: 'plain_text', text: `o${i}` },
      value: `${i}`,
    }));
    expect(
      limitViolations({
        type: 'modal',
        title: { type: 'plain_text', text: 'T' },
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'L' },
            element: { type: 'static_select', action_id: 'a', options },
          },
        ],
      }),
    ).toEqual(['block 1 options is 101 long (max 100)']);
    const context = {
      type: 'context',
      elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })),
    };
    expect(limitViolations({ blocks: [context] })).toEqual(['block 1 context elements is 11 long (max 10)']);
  });

  it('catches a text field that starts with more than it takes, or takes more than Slack allows', () => {
    const field = (element: Record<string, unknown>) => ({
      type: 'modal',
      title: { type: 'plain_text', text: 'T' },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'L' },
          element: { type: 'plain_text_input', action_id: 'a', ...element },
        },
      ],
    });
    expect(limitViolations(field({ max_length: 63, initial_value: 'n'.repeat(63) }))).toEqual([]);
    expect(limitViolations(field({ max_length: 63, initial_value: 'n'.repeat(64) }))).toEqual([
      'block 1 initial_value is 64 long (max 63)',
    ]);
    expect(limitViolations(field({ max_length: 3001 }))).toEqual([
      'block 1 max_length is 3001 long (max 3000)',
    ]);
    expect(limitViolations(field({ initial_value: 'v'.repeat(3001) }))).toEqual([
      'block 1 initial_value is 3001 long (max 3000)',
    ]);
  });
});
