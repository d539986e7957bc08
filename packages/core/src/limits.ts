/**
 * Limits of the HTTP API shared by the zod schemas (`./schemas`) and the root
 * entry. In their own module so that neither facade imports the other.
 */

/** Longest user message accepted, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 100_000;
