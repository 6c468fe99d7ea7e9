// Task-based edits: a form's changes become one fine-grained command per field.
import { COMMAND_OF_FIELD, FIELDS, checkForm, sameValue } from './fields.js';
import { REGISTER, baseVersion } from './overlay.js';
import { envelope } from './outbox.js';

/** The commands for the fields the form changes, or {errors} when a rule is broken. */
export function changeCommands(customer, view, form) {
  const { values, errors } = checkForm(form);
  if (Object.keys(errors).length) return { errors, commands: [] };
  const base = baseVersion(view);
  const commands = FIELDS.filter((f) => f in values && !sameValue(values[f], customer[f]))
    .map((f) => envelope(COMMAND_OF_FIELD[f], customer.customer_id, { [f]: values[f] }, base));
  return { errors: {}, commands };
}

/** A RegisterCustomer command for a new customer (its id made here), or {errors}. */
export function registerCommand(form) {
  const { values, errors } = checkForm(form);
  if (Object.keys(errors).length) return { errors, command: null };
  const payload = Object.fromEntries(Object.entries(values)
    .filter(([field, value]) => field !== 'status' && value !== null));
  return { errors: {}, command: envelope(REGISTER, crypto.randomUUID(), payload, null) };
}

/** A ResolveConflict command: keep the current value, take a candidate or a new value. */
export function resolveCommand(conflict, view, choice, { candidateCommandId, value } = {}) {
  const payload = { conflict_id: conflict.conflict_id, choice };
  if (choice === 'candidate') payload.candidate_command_id = candidateCommandId;
  if (choice === 'value') payload.value = value;
  return envelope('ResolveConflict', conflict.customer_id, payload, baseVersion(view));
}
