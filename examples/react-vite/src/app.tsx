import { lazy, Suspense, useEffect, useState } from 'react';

// One chunk per route: the custom UI needs only core's client; the component brings the widget (Lit, markdown).
const ComponentPanel = lazy(() => import('./component-panel.js').then((m) => ({ default: m.ComponentPanel })));
const CustomChat = lazy(() => import('./custom-chat.js').then((m) => ({ default: m.CustomChat })));

type Route = 'component' | 'hook';

function routeFromHash(): Route {
  return location.hash === '#/hook' ? 'hook' : 'component';
}

/** Two routes: the ready-made <AgentChat> component, and a custom UI on useAgentChat(). */
export function App() {
  const [route, setRoute] = useState<Route>(routeFromHash);
  useEffect(() => {
    const onHashChange = () => setRoute(routeFromHash());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  return (
    <div className="app">
      <header>
        <h1>agent-chat · React</h1>
        <nav aria-label="Examples">
          <a href="#/component" aria-current={route === 'component' ? 'page' : undefined}>
            &lt;AgentChat&gt; component
          </a>
          <a href="#/hook" aria-current={route === 'hook' ? 'page' : undefined}>
            useAgentChat() custom UI
          </a>
        </nav>
      </header>
      <main>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          {route === 'component' ? <ComponentPanel /> : <CustomChat />}
        </Suspense>
      </main>
    </div>
  );
}
