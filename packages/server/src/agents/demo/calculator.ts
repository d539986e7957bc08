/** Thrown by {@link evaluateArithmetic} for input it cannot evaluate. */
export class CalculatorError extends Error {
  readonly code = 'invalid_expression';
  /** Character offset of the problem in the expression, when known. */
  readonly position: number | undefined;
  constructor(message: string, position?: number) {
    super(message);
    this.name = 'CalculatorError';
    this.position = position;
  }
}

const MAX_LENGTH = 1_000;
const MAX_DEPTH = 100;

/**
 * Evaluates an arithmetic expression without `eval`: numbers (decimals, `.5`),
 * `+ - * / %`, `^` (power, right-associative, binds tighter than unary minus:
 * `-2^2` is -4), unary `+`/`-` and parentheses. Whitespace is ignored.
 *
 * @throws {CalculatorError} on a syntax error, division by zero or a non-finite result.
 */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_LENGTH) throw new CalculatorError(`Expression is longer than ${MAX_LENGTH} characters`);
  const parser = new Parser(expression);
  const value = parser.parse();
  if (!Number.isFinite(value)) throw new CalculatorError('The result is not a finite number');
  // Hide binary floating-point noise such as 0.1 + 0.2 = 0.30000000000000004.
  return Number.parseFloat(value.toPrecision(15));
}

class Parser {
  #pos = 0;
  #depth = 0;
  constructor(private readonly src: string) {}

  parse(): number {
    this.#skipSpace();
    if (this.#pos >= this.src.length) throw new CalculatorError('The expression is empty');
    const value = this.#expression();
    this.#skipSpace();
    if (this.#pos < this.src.length) this.#fail(`Unexpected "${this.src[this.#pos]}"`);
    return value;
  }

  #expression(): number {
    let value = this.#term();
    for (;;) {
      const op = this.#peekOperator('+-');
      if (!op) return value;
      this.#pos++;
      const right = this.#term();
      value = op === '+' ? value + right : value - right;
    }
  }

  #term(): number {
    let value = this.#unary();
    for (;;) {
      const op = this.#peekOperator('*/%');
      if (!op) return value;
      const at = this.#pos++;
      const right = this.#unary();
      if ((op === '/' || op === '%') && right === 0) throw new CalculatorError('Division by zero', at);
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
  }

  #unary(): number {
    const op = this.#peekOperator('+-');
    if (op) {
      this.#pos++;
      return this.#nested(() => (op === '-' ? -this.#unary() : this.#unary()));
    }
    return this.#power();
  }

  #power(): number {
    const base = this.#primary();
    if (!this.#peekOperator('^')) return base;
    this.#pos++;
    return base ** this.#nested(() => this.#unary());
  }

  #primary(): number {
    this.#skipSpace();
    const char = this.src[this.#pos];
    if (char === '(') {
      const open = this.#pos++;
      const value = this.#nested(() => this.#expression());
      this.#skipSpace();
      if (this.src[this.#pos] !== ')') throw new CalculatorError('Missing ")" for the "(" here', open);
      this.#pos++;
      return value;
    }
    const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.#pos));
    if (!match) {
      if (char === undefined) this.#fail('The expression ends too early');
      this.#fail(`Expected a number or "(" but found "${char}"`);
    }
    this.#pos += match[0].length;
    return Number(match[0]);
  }

  #nested(parse: () => number): number {
    if (++this.#depth > MAX_DEPTH) this.#fail('The expression is nested too deeply');
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  #peekOperator(ops: string): string | undefined {
    this.#skipSpace();
    const char = this.src[this.#pos];
    return char !== undefined && ops.includes(char) ? char : undefined;
  }

  #skipSpace(): void {
    while (this.#pos < this.src.length && /\s/.test(this.src[this.#pos]!)) this.#pos++;
  }

  #fail(message: string): never {
    throw new CalculatorError(`${message} at position ${this.#pos + 1}`, this.#pos);
  }
}

/**
 * Finds the longest arithmetic expression with at least one operator in free
 * text, e.g. `"what is 12 * (3 + 4)?"` -> `"12 * (3 + 4)"`. Returns `undefined` when there is none.
 */
export function findArithmetic(text: string): string | undefined {
  const candidates = text.match(/[-+(.\d][\d\s+\-*/%^().]*[\d)]/g) ?? [];
  let best: string | undefined;
  for (const raw of candidates) {
    const candidate = raw.trim();
    if (!/[\d)]\s*[-+*/%^]\s*[-+(.\d]/.test(candidate)) continue;
    try {
      evaluateArithmetic(candidate);
    } catch {
      continue;
    }
    if (!best || candidate.length > best.length) best = candidate;
  }
  return best;
}
