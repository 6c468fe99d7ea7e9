import { FIELD_OF_COMMAND } from '../fields.js';
import { FIELD_LABELS, showValue, who } from './format.js';

/** The other value and who made it: the conflict's current value, else the field now. */
function otherValue(verdict, view) {
  const conflict = view?.conflicts?.find((c) => c.conflict_id === verdict.conflict_id);
  if (conflict) return { value: conflict.current.value, by: who(conflict.current.author, conflict.current.client_id) };
  const field = FIELD_OF_COMMAND[verdict.type] ?? verdict.payload?.field;
  if (!field || !view) return null;
  return { value: view[field], by: who(view.fields?.[field]?.changed_by, null, view.fields?.[field]?.changed_at) };
}

function yourValue(verdict) {
  const field = FIELD_OF_COMMAND[verdict.type];
  if (field) return verdict.payload[field];
  if (verdict.type === 'ResolveConflict') {
    return verdict.payload.choice === 'value' ? verdict.payload.value : `(${verdict.payload.choice})`;
  }
  return verdict.payload?.name; // RegisterCustomer
}

export function Verdicts({ controller, state }) {
  if (!state.verdicts.length) return null;
  return (
    <section class="verdicts" aria-label="Verdicts">
      <h2>Needs your attention</h2>
      <ul>
        {state.verdicts.map((verdict) => {
          const view = state.views.get(verdict.customer_id);
          const other = otherValue(verdict, view);
          const field = FIELD_OF_COMMAND[verdict.type];
          return (
            <li key={verdict.command_id} class={`verdict ${verdict.status}`}>
              <p>
                <strong>{verdict.status}</strong>{' '}
                {field ? FIELD_LABELS[field] : verdict.type} of{' '}
                <a href={`#/customers/${verdict.customer_id}`}>{view?.name ?? verdict.customer_id}</a>
                {': your value '}<q>{showValue(yourValue(verdict))}</q>
                {other && <>{'; the other value '}<q>{showValue(other.value)}</q>{` by ${other.by}`}</>}
                {verdict.detail && <>{` (${verdict.detail})`}</>}
              </p>
              {verdict.status === 'conflict' && <a href="#/conflicts">Resolve it</a>}
              <button type="button" class="secondary" onClick={() => controller.dismiss(verdict.command_id)}>
                Dismiss
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
