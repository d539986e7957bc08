import { useState } from 'react';
import { AgentChat } from '@agent-chat/react';

/** The whole chat as one component; typed event handlers report what happens. */
export function ComponentPanel() {
  const [log, setLog] = useState<string[]>([]);
  const note = (line: string) => setLog((lines) => [...lines.slice(-4), line]);

  return (
    <section className="panel component-panel">
      <AgentChat
        endpoint="/api"
        onSend={(event) => note(`sent: ${event.detail.text}`)}
        onApprove={(event) => note(`approved ${event.detail.approvals.length} tool call(s)`)}
        onTurnComplete={(event) => note(`turn complete (${event.detail.stopReason})`)}
        onError={(event) => note(`error: ${event.detail.code}`)}
      />
      <ul className="event-log" aria-label="Component events" data-testid="event-log">
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
