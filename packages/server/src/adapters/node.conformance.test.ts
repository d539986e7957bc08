import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { describeConformance } from '../__fixtures__/conformance-suite.js';
import { describeHostileInput } from '../__fixtures__/hostile-input-suite.js';

describeConformance('node:http', nodeFactory);
describeHostileInput('node:http', nodeFactory);
