/** Answers of a `ChatServer` that say "no route of mine": a middleware adapter passes those requests on. */
const notMine = new WeakSet<Response>();

/** Marks `response` as the server's 404 `route_not_found`. Returns it. */
export function markNotMyRoute(response: Response): Response {
  notMine.add(response);
  return response;
}

/** Whether `response` is a server's 404 `route_not_found` (marked, never parsed). */
export function isNotMyRoute(response: Response): boolean {
  return notMine.has(response);
}
