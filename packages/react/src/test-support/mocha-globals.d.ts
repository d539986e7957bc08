// @web/test-runner runs tests with mocha's BDD globals; @types/mocha is not installed,
// so the few functions the tests use are declared here.
type MochaDone = (error?: unknown) => void;
type MochaBody = (this: { timeout(ms: number): void }) => void | Promise<unknown>;
declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: MochaBody): void;
declare function before(body: MochaBody): void;
declare function after(body: MochaBody): void;
declare function beforeEach(body: MochaBody): void;
declare function afterEach(body: MochaBody): void;
