// `@cfworker/json-schema`'s validator, behind a module of our own so that the prebuilt
// bundle's file for it (loaded by json-schema.ts on the first check) is named for what it is.
export { Validator } from '@cfworker/json-schema';
