import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { parseCommand, words } from '../../src/slack/parse.js';
import { HOSTILE_PIECES, hostileText } from './arbitraries.js';

/** The fastest of a few runs: the one least disturbed by whatever else the machine is doing. */
function fastest(work: () => unknown, runs = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** One word of any length up to the bound: no space to split it, so any work per word shows. */
const longWord = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '&amp;', '<', '=', '<http://a|'), fc.integer({ min: 1, max: 1000 }))
  .map(([piece, length]) => repeatTo(piece, length));

/** What Slack could send as `/vps` text: hostile pieces, its own escapes and links, any code units. */
const commandText = fc.oneof(
  hostileText,
  longWord,
  fc
    .tuple(fc.constantFrom('show ', 'list ', 'create x ', 'stop '), longWord)
    .map(([verb, word]) => verb + word),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 1200, size: 'max' }),
  fc
    .tuple(
      fc.constantFrom(
        '',
        'show ',
        'list ',
        'create ',
        'stop ',
        'rename a ',
        'list status=',
        'create x plan=',
      ),
      fc.array(fc.constantFrom(...HOSTILE_PIECES, 'a', '=', 'http://', 'mailto:', '&lt;http://x|y&gt;'), {
        maxLength: 400,
      }),
    )
    .map(([verb, parts]) => verb + parts.join('')),
);

/** A text of exactly `length` characters: `pattern` over and over. */
function repeatTo(pattern: string, length: number): string {
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

describe('the /vps parser is total', () => {
  it('answers any text, without throwing, with one command or one specific problem', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const result = parseCommand(text);
        if (result.ok) expect(typeof result.command.verb).toBe('string');
        else expect(result.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('answers a text of any length past its bound in the same few steps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HOSTILE_PIECES, 'x', 'show '),
        fc.integer({ min: INPUT_LIMITS.commandText + 1, max: 1_000_000 }),
        (pattern, length) => {
          const result = parseCommand(repeatTo(pattern, length));
          expect(result).toMatchObject({
            ok: false,
            problem: expect.stringContaining('That command is too long'),
          });
        },
      ),
      { numRuns: 30 },
    );
  });
});

/**
 * Time is checked by comparison on this machine, in this test, never against fixed milliseconds: the
 * parser's cost for a hostile text must stay within a generous multiple of its cost for a plain text
 * as long (a linear budget), and `words` must take about 8 times as long, not 64, for a text 8 times as long.
 */
describe('the /vps parser does work linear in the length of the text', () => {
  let plainAtBound = 0;
  beforeAll(() => {
    const plain = repeatTo('show web-server-01 db-server-01 ', INPUT_LIMITS.commandText);
    // Warm up first, so that the budget is not the cost of compiling the parser.
    for (let i = 0; i < 200; i++) parseCommand(plain);
    plainAtBound = fastest(() => parseCommand(plain), 20);
  });

  it('costs no more for a hostile text than a generous multiple of a plain one as long', () => {
    const budget = () => 20 * plainAtBound + 3;
    fc.assert(
      fc.property(commandText, (text) => {
        const spent = fastest(() => parseCommand(text));
        expect(spent, `${spent.toFixed(2)} ms for ${text.length} characters`).toBeLessThanOrEqual(budget());
      }),
      { numRuns: 60 },
    );
  });

  it('unwraps and splits words in time that grows linearly, whatever the pattern', () => {
    const pattern = fc
      .array(fc.constantFrom(...HOSTILE_PIECES, '<http://', '<mailto:', 'a', '|', '<'), {
        minLength: 1,
        maxLength: 8,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(pattern, (unit) => {
        const small = repeatTo(unit, 4_000);
        const large = repeatTo(unit, 32_000);
        words(small);
        words(large);
        const smallMs = fastest(() => words(small));
        const largeMs = fastest(() => words(large));
        // Linear is about 8 times; quadratic would be 64. Three times linear, and a millisecond, for noise.
        expect(
          largeMs,
          `${JSON.stringify(unit)}: ${smallMs.toFixed(3)} ms, then ${largeMs.toFixed(3)} ms`,
        ).toBeLessThanOrEqual(24 * smallMs + 1);
      }),
      { numRuns: 40 },
    );
  });
});
