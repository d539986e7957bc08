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

  it('keeps the first line of a model answer, unless a double quote spans lines', () => {
    expect(cleanTitle('"Adding numbers together."\nExtra line')).toBe('Adding numbers together');
    expect(cleanTitle('\n\nTrip planning\n\nThis title sums up the request.')).toBe('Trip planning');
    expect(cleanTitle('“Budget\nreview” is a good title')).toBe('Budget review');
    expect(cleanTitle('"Unclosed\nquote')).toBe('Unclosed');
  });

  it('drops a markdown heading mark and emphasis around the title', () => {
    expect(cleanTitle('# Deploy checklist')).toBe('Deploy checklist');
    expect(cleanTitle('**Title: Deploy checklist**')).toBe('Deploy checklist');
    expect(cleanTitle('`Deploy checklist`')).toBe('Deploy checklist');
  });

  it('clips to MAX_TITLE_LENGTH characters with an ellipsis', () => {
    expect(cleanTitle(`${'word '.repeat(40)}end`)).toBe(`${'word '.repeat(15)}word…`);
    expect(`${'word '.repeat(15)}word…`).toHaveLength(MAX_TITLE_LENGTH);
  });
});
