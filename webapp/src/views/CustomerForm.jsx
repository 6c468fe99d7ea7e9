// The customer's fields as a form: labels, rule errors at the field, provenance.
import { STATUSES } from '../fields.js';

export const INPUTS = [
  { key: 'name', label: 'Name', field: 'name' },
  { key: 'email', label: 'Email', field: 'email', type: 'email' },
  { key: 'phone', label: 'Phone', field: 'phone', type: 'tel' },
  { key: 'supplier', label: 'Supplier', field: 'supplier' },
  { key: 'description', label: 'Description', field: 'description', multiline: true },
  { key: 'address.street', label: 'Street', field: 'address' },
  { key: 'address.city', label: 'City', field: 'address' },
  { key: 'address.postal_code', label: 'Postal code', field: 'address' },
  { key: 'address.country', label: 'Country', field: 'address' },
];

/** The form's text for a customer (empty strings for missing values). */
export function formOf(customer) {
  const address = customer?.address ?? {};
  return {
    name: customer?.name ?? '', email: customer?.email ?? '', phone: customer?.phone ?? '',
    supplier: customer?.supplier ?? '', description: customer?.description ?? '',
    status: customer?.status ?? 'active',
    'address.street': address.street ?? '', 'address.city': address.city ?? '',
    'address.postal_code': address.postal_code ?? '', 'address.country': address.country ?? '',
  };
}

/** The form's text as field values for the rules (the address as its four parts). */
export function valuesOf(form) {
  const { 'address.street': street, 'address.city': city, 'address.postal_code': postal_code,
    'address.country': country, ...rest } = form;
  return { ...rest, address: { street, city, postal_code, country } };
}

function Input({ spec, id, value, onInput, invalid }) {
  const props = { id, value, 'aria-invalid': invalid ? 'true' : undefined,
    'aria-describedby': `${id}-note`, onInput: (e) => onInput(spec.key, e.currentTarget.value) };
  return spec.multiline ? <textarea rows="3" {...props} /> : <input type={spec.type ?? 'text'} {...props} />;
}

export function CustomerForm({ form, errors, onInput, provenance = () => null, pending = [] }) {
  return (
    <div class="fields">
      {INPUTS.map((spec) => {
        const id = `field-${spec.key.replace('.', '-')}`;
        const error = errors[spec.key];
        return (
          <div class={`field${pending.includes(spec.field) ? ' is-pending' : ''}`} key={spec.key}>
            <label for={id}>{spec.label}</label>
            <Input spec={spec} id={id} value={form[spec.key]} onInput={onInput} invalid={Boolean(error)} />
            <p class="note" id={`${id}-note`}>
              {error ? <span class="error">{error}</span> : provenance(spec)}
            </p>
          </div>
        );
      })}
      <div class="field">
        <label for="field-status">Status</label>
        <select id="field-status" value={form.status} onChange={(e) => onInput('status', e.currentTarget.value)}>
          {STATUSES.map((s) => <option value={s} key={s}>{s}</option>)}
        </select>
        <p class="note">{provenance({ key: 'status', field: 'status' })}</p>
      </div>
    </div>
  );
}
