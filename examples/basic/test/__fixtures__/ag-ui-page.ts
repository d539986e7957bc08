// A page on the AG-UI client that CopilotKit's runtime and others use, @ag-ui/client's HttpAgent
// (its event verifier on), talking to the example's /api/ag-ui endpoint. The end-to-end test
// bundles it with esbuild and serves it from the example's origin.
import { HttpAgent, type BaseEvent, type RunAgentParameters } from '@ag-ui/client';

declare global {
  interface Window {
    agUi?: {
      run(text?: string, parameters?: RunAgentParameters): Promise<{ types: string[]; outcome: string | undefined; failure: string | undefined }>;
      agent: HttpAgent;
    };
  }
}

const threadId = new URL(location.href).searchParams.get('thread')!;
const agent = new HttpAgent({ url: '/api/ag-ui', threadId });

window.agUi = {
  agent,
  async run(text, parameters = {}) {
    if (text !== undefined) agent.addMessage({ id: crypto.randomUUID(), role: 'user', content: text });
    const events: BaseEvent[] = [];
    let outcome: string | undefined;
    let failure: string | undefined;
    try {
      await agent.runAgent(parameters, {
        onEvent: ({ event }) => void events.push(event),
        onRunFinishedEvent: (params) => void (outcome = (params as { outcome?: string }).outcome),
      });
    } catch (error) {
      failure = String(error);
    }
    document.body.dataset.messages = String(agent.messages.length);
    return { types: events.map((e) => e.type), outcome, failure };
  },
};
document.body.dataset.ready = 'true';
