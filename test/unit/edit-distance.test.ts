import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/service/edit-distance.js';

/** The textbook full-matrix optimal string alignment distance, to check the bounded one against. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let cell = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cell = Math.min(cell, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = cell;
    }
  }
  return at(a.length, b.length);
}

describe('editDistance', () => {
  it('counts a swap of two neighbouring letters as one slip', () => {
    expect(editDistance('lsit', 'list', 3)).toBe(1);
    expect(editDistance('strat', 'start', 3)).toBe(1);
    expect(editDistance('sotp', 'stop', 3)).toBe(1);
  });

  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('', 'abc', 5)).toBe(3);
    expect(editDistance('abc', '', 5)).toBe(3);
    expect(editDistance('same', 'same', 0)).toBe(0);
  });

  it('answers max + 1 as soon as the distance is known to exceed max', () => {
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });

  it('agrees with the full-matrix distance, capped at max + 1', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 8 }), (a, b, max) => {
        expect(editDistance(a, b, max)).toBe(Math.min(reference(a, b), max + 1));
        expect(editDistance(b, a, max)).toBe(editDistance(a, b, max));
      }),
      { numRuns: 500 },
    );
  });

  it('stays cheap for long strings: a band around the diagonal, rows as long as the shorter', () => {
    // A full matrix for these would be 10^10 cells (about 40 GB): the bot's heap is 128 MB.
    const long = 'ab'.repeat(50_000);
    expect(editDistance(long, `${long.slice(0, -1)}x`, 3)).toBe(1);
    expect(editDistance(long, 'b'.repeat(100_000), 3)).toBe(4);
    expect(editDistance(long, 'short', 3)).toBe(4);
  });
});
