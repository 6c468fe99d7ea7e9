// Values and times as people read them (rendered as text, never as HTML).

export function showValue(value) {
  if (value === null || value === undefined || value === '') return '(none)';
  if (typeof value === 'object') {
    return [value.street, value.city, value.postal_code, value.country].join(', ');
  }
  return String(value);
}

export function showTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function who(author, clientId, at) {
  return [author ?? 'someone', clientId ? `on ${clientId}` : null, at ? `at ${showTime(at)}` : null]
    .filter(Boolean).join(' ');
}

export const FIELD_LABELS = {
  name: 'Name', email: 'Email', phone: 'Phone', address: 'Address', supplier: 'Supplier',
  description: 'Description', status: 'Status',
};
