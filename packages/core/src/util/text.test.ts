import { describe, expect, it } from 'vitest';
import { clip } from './text.js';

describe('clip', () => {
  it('keeps text that fits, as it is', () => {
    expect(clip('hello', 5)).toBe('hello');
    expect(clip(' spaced ', 80)).toBe(' spaced ');
    expect(clip('', 3)).toBe('');
  });

  it('cuts longer text to max characters, the last an ellipsis, without white space before it', () => {
    expect(clip('hello world', 8)).toBe('hello w…');
    expect(clip('hello world', 7)).toBe('hello…');
    expect(clip('x'.repeat(500), 80)).toHaveLength(80);
  });

  it('never leaves half a surrogate pair', () => {
    const clipped = clip('ab😀cd', 4);
    expect(clipped).toBe('ab…');
  });
});
