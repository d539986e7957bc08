/**
 * How much of a tool call's output `<agent-chat-tool-group>` shows before "Show more".
 * A module of its own so that the prebuilt bundle exports these without loading the
 * tool group, which it fetches with the other tool parts at the first tool call.
 */

/** Output longer than this many characters or lines is cut, with a "Show more" button. */
export const OUTPUT_PREVIEW_CHARS = 1200;
export const OUTPUT_PREVIEW_LINES = 16;
