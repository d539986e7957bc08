/** Runs axe-core (node_modules/axe-core/axe.min.js, injected once) on the page and its shadow roots. */

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}
interface Axe {
  run(context: Element | Document, options?: Record<string, unknown>): Promise<{ violations: AxeViolation[] }>;
}

let loading: Promise<Axe> | undefined;

function loadAxe(): Promise<Axe> {
  loading ??= new Promise<Axe>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve((globalThis as unknown as { axe: Axe }).axe);
    script.onerror = () => reject(new Error('could not load axe-core'));
    document.head.append(script);
  });
  return loading;
}

/**
 * The accessibility violations axe-core finds in `root` (WCAG 2.1 A and AA
 * rules plus best practices), as readable lines; empty when there are none.
 */
export async function axeViolations(root: Element): Promise<string[]> {
  const axe = await loadAxe();
  const { violations } = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    // The test page itself has no landmarks or title; only the element is judged.
    rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false }, 'landmark-one-main': { enabled: false } },
  });
  return violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes.length} nodes; ${v.nodes
        .slice(0, 3)
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join('; ')})`,
  );
}
