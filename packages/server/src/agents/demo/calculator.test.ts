import { describe, expect, it } from 'vitest';
import { CalculatorError, evaluateArithmetic, findArithmetic } from './calculator.js';

describe('evaluateArithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(17 + 25) * 2', 84],
    ['10 / 4', 2.5],
    ['10 % 4', 2],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['-(1 + 2) * -3', 9],
    ['.5 + 1.25', 1.75],
    ['0.1 + 0.2', 0.3],
    ['1e3 / 8', 125],
    ['  42  ', 42],
  ])('%s = %d', (expression, expected) => {
    expect(evaluateArithmetic(expression)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['1 +', /ends too early/],
    ['(1 + 2', /Missing "\)"/],
    ['1 + 2)', /Unexpected "\)"/],
    ['2 * x', /Expected a number/],
    ['1 / 0', /Division by zero/],
    ['5 % 0', /Division by zero/],
    ['10 ^ 400', /finite/],
    ['process.exit()', /Expected a number/],
    ['('.repeat(200) + '1' + ')'.repeat(200), /nested too deeply/],
  ])('rejects %j', (expression, message) => {
    expect(() => evaluateArithmetic(expression)).toThrow(CalculatorError);
    expect(() => evaluateArithmetic(expression)).toThrow(message);
  });

  it('reports the position of a syntax error', () => {
    try {
      evaluateArithmetic('1 + * 2');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CalculatorError);
      expect((error as CalculatorError).code).toBe('invalid_expression');
      expect((error as CalculatorError).position).toBe(4);
    }
  });
});

describe('findArithmetic', () => {
  it('finds the longest expression in free text', () => {
    expect(findArithmetic('what is 12 * (3 + 4)?')).toBe('12 * (3 + 4)');
    expect(findArithmetic('compute 2^10 please')).toBe('2^10');
    expect(findArithmetic('I have 3 cats and 2 dogs')).toBeUndefined();
    expect(findArithmetic('hello')).toBeUndefined();
  });
});
