import { useState } from 'preact/hooks';
import { checkValue, InvalidValue, ADDRESS_PARTS } from '../fields.js';
import { resolveCommand } from '../edits.js';
import { FIELD_LABELS, showValue, who } from './format.js';

/** Text typed as a new value: an address as "street, city, postal code, country". */
function parseValue(field, text) {
  if (field !== 'address') return checkValue(field, text);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 4) throw new InvalidValue('address', 'write street, city, postal code, country');
  return checkValue('address', Object.fromEntries(ADDRESS_PARTS.map((p, i) => [p, parts[i]])));
}

function ConflictCard({ controller, conflict, view, queued }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const label = `${FIELD_LABELS[conflict.field]} of ${view.name}`;
  const resolve = (choice, options) => controller.queue([resolveCommand(conflict, view, choice, options)]);
  const resolveWithValue = () => {
    try {
      resolve('value', { value: parseValue(conflict.field, text) });
    } catch (failure) {
      if (!(failure instanceof InvalidValue)) throw failure;
      setError(failure.message);
    }
  };
  const inputId = `new-value-${conflict.conflict_id}`;
  return (
    <section class="conflict" aria-label={`Conflict on ${label}`}>
      <h2>{FIELD_LABELS[conflict.field]} of <a href={`#/customers/${view.customer_id}`}>{view.name}</a></h2>
      {queued && <p class="mark pending">A resolution is queued; it is sent at the next sync.</p>}
      <dl>
        <dt>Base value</dt><dd>{showValue(conflict.base_value)}</dd>
        <dt>Current value</dt>
        <dd>
          <q>{showValue(conflict.current.value)}</q>{' '}
          <span class="muted">by {who(conflict.current.author, conflict.current.client_id, conflict.current.issued_at)}</span>{' '}
          <button type="button" onClick={() => resolve('current')}>Keep current</button>
        </dd>
        {conflict.candidates.map((candidate) => (
          <>
            <dt key={`t-${candidate.command_id}`}>Candidate</dt>
            <dd key={candidate.command_id}>
              <q>{showValue(candidate.value)}</q>{' '}
              <span class="muted">by {who(candidate.author, candidate.client_id, candidate.issued_at)}</span>{' '}
              <button type="button" onClick={() => resolve('candidate', { candidateCommandId: candidate.command_id })}>
                Take this value
              </button>
            </dd>
          </>
        ))}
      </dl>
      <div class="field">
        <label for={inputId}>New value</label>
        <input id={inputId} value={text} aria-invalid={error ? 'true' : undefined} aria-describedby={`${inputId}-note`}
          onInput={(e) => { setText(e.currentTarget.value); setError(null); }} />
        <p class="note" id={`${inputId}-note`}>{error && <span class="error">{error}</span>}</p>
        <button type="button" onClick={resolveWithValue}>Resolve with new value</button>
      </div>
    </section>
  );
}

export function Conflicts({ controller, state }) {
  const resolving = new Set(state.queued.filter((c) => c.type === 'ResolveConflict')
    .map((c) => c.payload.conflict_id));
  const open = [];
  for (const view of state.views.values()) {
    for (const conflict of view.conflicts ?? []) open.push({ conflict, view });
  }
  return (
    <>
      <h1>Conflicts</h1>
      {open.length === 0 && <p>No open conflicts.</p>}
      {open.map(({ conflict, view }) => (
        <ConflictCard key={conflict.conflict_id} controller={controller} conflict={conflict} view={view}
          queued={resolving.has(conflict.conflict_id)} />
      ))}
    </>
  );
}
