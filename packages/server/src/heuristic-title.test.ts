import { describe, expect, it } from 'vitest';
import { MAX_TITLE_LENGTH, cleanTitle, heuristicTitle } from './heuristic-title.js';

describe('heuristicTitle', () => {
  it('takes the first six words without markdown', () => {
    expect(heuristicTitle('## How do I *deploy* the app to production today please?')).toBe('How do I deploy the app');
    expect(heuristicTitle('Fix this:\n```js\nconst a = 1;\n```\nthanks')).toBe('Fix this: thanks');
    expect(heuristicTitle('   ')).toBe('New chat');
    expect(heuristicTitle('```only code```')).toBe('New chat');
  });

  it('bounds the length of very long words', () => {
    expect(heuristicTitle('x'.repeat(500)).length).toBe(MAX_TITLE_LENGTH);
  });
});

describe('cleanTitle', () => {
  it('strips quotes, a "Title:" prefix, a final period and line breaks', () => {
    expect(cleanTitle('"Title: Trip to Lisbon."')).toBe('Trip to Lisbon');
    expect(cleanTitle('“Budget\nreview”')).toBe('Budget review');
    expect(cleanTitle(' "" ')).toBeUndefined();
  });
});
