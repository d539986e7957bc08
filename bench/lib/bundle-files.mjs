// Serves the widget's prebuilt bundle folder (packages/widget/dist/bundle) to a
// bench page: the bundle at `/agent-chat.js`, and beside it what it imports
// (parts/: the chunk it shares with the lazy tool parts, and those parts;
// highlight/: highlight.js), at the same relative URLs as on a real site.
import { readFileSync } from 'node:fs';
import { normalize } from 'node:path';
import { root } from './process.mjs';

export const bundleDir = `${root}packages/widget/dist/bundle`;

/** Answers `req` with a file of the bundle folder and returns true, or returns false for any other URL. */
export function serveBundleFile(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  const file = path === '/agent-chat.js' ? '/agent-chat.bundle.js' : normalize(path);
  if (file !== '/agent-chat.bundle.js' && !/^\/(parts|highlight)\/[\w.-]+\.js$/.test(file)) return false;
  let body;
  try {
    body = readFileSync(`${bundleDir}${file}`);
  } catch {
    res.writeHead(404).end();
    return true;
  }
  res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
  return true;
}
