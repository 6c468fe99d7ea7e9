// What the employee sees: the local copy with queued commands laid over it.
import { FIELDS, FIELD_OF_COMMAND } from './fields.js';

export const REGISTER = 'RegisterCustomer';

/** The customer with every queued command on it applied in order; `pending` names
 * the fields they change. Null when the customer is neither pulled nor queued. */
export function overlay(customerId, view, queued) {
  let customer = view ? { ...view } : null;
  const pending = new Set();
  for (const command of queued) {
    if (command.type === REGISTER && !customer) {
      customer = { customer_id: customerId, version: null, fields: {}, conflicts: [],
        ...Object.fromEntries(FIELDS.map((f) => [f, command.payload[f] ?? null])), status: 'active' };
      FIELDS.forEach((f) => pending.add(f));
    } else if (FIELD_OF_COMMAND[command.type] && customer) {
      const field = FIELD_OF_COMMAND[command.type];
      customer[field] = command.payload[field];
      pending.add(field);
    } else if (command.type === 'ResolveConflict' && customer) {
      customer.resolving = [...(customer.resolving ?? []), command.payload.conflict_id];
    }
  }
  if (!customer) return null;
  customer.pending = FIELDS.filter((f) => pending.has(f));
  return customer;
}

/** Every customer as the employee sees it, by name. */
export function overlayAll(views, queued) {
  const byCustomer = new Map();
  for (const command of queued) {
    if (!byCustomer.has(command.customer_id)) byCustomer.set(command.customer_id, []);
    byCustomer.get(command.customer_id).push(command);
  }
  const ids = new Set(views.map((v) => v.customer_id));
  const customers = views.map((v) => overlay(v.customer_id, v, byCustomer.get(v.customer_id) ?? []));
  for (const [id, commands] of byCustomer) {
    if (!ids.has(id)) {
      const customer = overlay(id, null, commands);
      if (customer) customers.push(customer);
    }
  }
  for (const customer of customers) customer.searchText = searchText(customer);
  return customers.sort((a, b) => compareNames(a, b));
}

function compareNames(a, b) {
  const x = String(a.name ?? '').toLowerCase();
  const y = String(b.name ?? '').toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.customer_id < b.customer_id ? -1 : 1;
}

function searchText(customer) {
  return [customer.name, customer.email, customer.address?.city]
    .filter(Boolean).join('\n').toLowerCase();
}

/** The customers whose name, email or city contains the text (case-insensitive). */
export function search(customers, text) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return customers;
  return customers.filter((c) => c.searchText.includes(wanted));
}

/** The version an edit is based on: the local copy's, 0 for a customer only queued. */
export function baseVersion(view) {
  return view ? view.version : 0;
}
