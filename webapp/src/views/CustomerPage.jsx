import { useEffect, useState } from 'preact/hooks';
import { changeCommands } from '../edits.js';
import { CustomerForm, formOf, valuesOf } from './CustomerForm.jsx';
import { FIELD_LABELS, showTime } from './format.js';

/** Who changed a field last, from which device (read in the cached history) and when. */
function provenanceOf(customer, history) {
  return (spec) => {
    if (spec.key.startsWith('address.') && spec.key !== 'address.street') return null;
    if (customer.pending.includes(spec.field)) return <span class="mark pending">pending: queued on this browser</span>;
    const field = customer.fields?.[spec.field];
    if (!field) return null;
    const event = history?.events?.find((e) => e.version === field.version);
    const device = event ? event.client_id : 'device not known yet';
    return `changed by ${field.changed_by} on ${device}, ${showTime(field.changed_at)}`;
  };
}

function EditForm({ controller, customer, view, history, setSaved }) {
  const [form, setForm] = useState(formOf(customer));
  const [errors, setErrors] = useState({});
  const onInput = (key, value) => {
    setForm({ ...form, [key]: value });
    setSaved(null);
    if (errors[key]) setErrors({ ...errors, [key]: undefined });
  };
  const save = async (event) => {
    event.preventDefault();
    const { errors: broken, commands } = changeCommands(customer, view, valuesOf(form));
    setErrors(broken);
    if (Object.keys(broken).length) return setSaved(null);
    if (!commands.length) return setSaved('Nothing changed.');
    await controller.queue(commands);
    setSaved(`${commands.length} change${commands.length > 1 ? 's' : ''} queued.`);
  };
  return (
    <form onSubmit={save} noValidate>
      <CustomerForm form={form} errors={errors} onInput={onInput} pending={customer.pending}
        provenance={provenanceOf(customer, history)} />
      <button type="submit">Save changes</button>
    </form>
  );
}

export function CustomerPage({ controller, state, customerId }) {
  const customer = state.customers.find((c) => c.customer_id === customerId);
  const view = state.views.get(customerId);
  const [history, setHistory] = useState(null);
  const [saved, setSaved] = useState(null);
  useEffect(() => setSaved(null), [customerId]);
  useEffect(() => {
    controller.history(customerId).then(setHistory);
  }, [customerId, view?.version]);
  if (!customer) return <p>This customer is not in the local copy. <a href="#/">Customers</a></p>;
  const formKey = `${customer.version}:${state.queued.filter((c) => c.customer_id === customerId).length}`;
  return (
    <article>
      <h1>{customer.name}</h1>
      <p class="muted">
        {customer.version === null ? 'New, not yet synced' : `Version ${customer.version}`}
        {' · '}<a href={`#/customers/${customerId}/history`}>History</a>
      </p>
      {customer.conflicts?.map((c) => (
        <p class="mark conflict" key={c.conflict_id}>
          Open conflict on {FIELD_LABELS[c.field]}: <a href="#/conflicts">resolve it in the inbox</a>
        </p>
      ))}
      <EditForm key={formKey} controller={controller} customer={customer} view={view} history={history}
        setSaved={setSaved} />
      {saved && <p class="saved" aria-live="polite">{saved}</p>}
    </article>
  );
}
