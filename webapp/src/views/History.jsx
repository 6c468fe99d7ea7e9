import { useEffect, useState } from 'preact/hooks';
import { FIELD_OF_COMMAND } from '../fields.js';
import { FIELD_LABELS, showTime, showValue } from './format.js';

export function History({ controller, state, customerId }) {
  const [history, setHistory] = useState(undefined);
  const view = state.views.get(customerId);
  useEffect(() => {
    controller.history(customerId).then(setHistory);
  }, [customerId, view?.version]);
  const name = view?.name ?? customerId;
  const queued = state.queued.filter((c) => c.customer_id === customerId);
  return (
    <article>
      <h1>History of {name}</h1>
      <p><a href={`#/customers/${customerId}`}>Back to {name}</a></p>
      {queued.length > 0 && (
        <>
          <h2>Queued on this browser, not yet sent</h2>
          <ul>
            {queued.map((c) => {
              const field = FIELD_OF_COMMAND[c.type];
              return (
                <li key={c.command_id}>
                  {c.type}{field ? `: ${showValue(c.payload[field])}` : ''} ({showTime(c.issued_at)})
                </li>
              );
            })}
          </ul>
        </>
      )}
      <h2>Recorded</h2>
      {history === undefined && <p>Loading…</p>}
      {history === null && <p>The history has not been fetched yet: it needs a connection once.</p>}
      {history && (
        <table>
          <thead>
            <tr><th>Version</th><th>Command</th><th>Verdict</th><th>Changes</th><th>Author</th><th>Device</th><th>Time</th></tr>
          </thead>
          <tbody>
            {history.events.map((e) => (
              <tr key={e.version}>
                <td>{e.version}</td>
                <td>{e.type}</td>
                <td>{e.status}{e.reason ? ` (${e.reason})` : ''}</td>
                <td>{Object.entries(e.changes ?? {}).map(([f, v]) => `${FIELD_LABELS[f] ?? f}: ${showValue(v)}`).join('; ')}</td>
                <td>{e.author}</td>
                <td>{e.client_id}</td>
                <td>{showTime(e.effective_at ?? e.recorded_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
