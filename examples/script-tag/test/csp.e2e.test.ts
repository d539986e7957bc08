import type { SessionMessages } from '@agent-chat/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { startExample, type RunningExample } from '../../../test-support/start-example.js';

/** The starting policy docs/security.md recommends, without `https:` images: no inline script or style, no eval. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** A page of the example's origin with no inline script or style, served with {@link CSP}. */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>agent-chat under a strict CSP</title>
    <script type="module" src="/agent-chat/agent-chat.bundle.js"></script>
  </head>
  <body>
    <agent-chat endpoint="/api"></agent-chat>
  </body>
</html>`;

/** The widget under a strict Content Security Policy (docs/security.md): a whole demo turn, no violation. */
describe('<agent-chat> under a strict Content Security Policy', () => {
  let example: RunningExample;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    example = await startExample(new URL('..', import.meta.url), { DEMO_CHUNK_DELAY_MS: '5' });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  it("completes a demo turn (markdown, code, tool parts, approval) with no CSP violation: no 'unsafe-inline', no 'unsafe-eval'", async () => {
    const url = new URL('csp.html', example.url).href;
    await page.route(url, (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }, body: PAGE }),
    );
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => void violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
      });
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });

    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    const chat = page.locator('agent-chat');
    const input = chat.locator('textarea');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    // The element's styles apply (a blocked stylesheet would leave the textarea unstyled).
    const styled = await page.evaluate(() => {
      const root = document.querySelector('agent-chat')!.shadowRoot!;
      return root.adoptedStyleSheets.length + root.querySelectorAll('style').length;
    });
    expect(styled).toBeGreaterThan(0);
    await input.fill('What is (17 + 25) * 2? Look around the sandbox too.');
    await input.press('Enter');

    const approve = chat.locator('button[data-approve]').first();
    await approve.waitFor({ state: 'visible', timeout: 30_000 });
    await approve.click();
    const sessionId = await page.evaluate(() => localStorage.getItem('agent-chat:session:/api'));
    const history = async () =>
      (await (await fetch(new URL(`api/session/${sessionId}/messages`, example.url))).json()) as SessionMessages;
    await expect.poll(async () => (await history()).processing, { timeout: 30_000 }).toBe(false);
    await chat.getByText(/That was the whole tour/).waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
  });
});
