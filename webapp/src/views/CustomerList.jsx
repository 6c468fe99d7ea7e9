import { useMemo, useState } from 'preact/hooks';
import { search } from '../overlay.js';

export const PAGE = 50;

function measured(customers, text) {
  const started = performance.now();
  const found = search(customers, text);
  performance.measure('customers:search', { start: started, detail: { text, found: found.length } });
  return found;
}

export function CustomerList({ state }) {
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const found = useMemo(() => measured(state.customers, text), [state.customers, text]);
  const pages = Math.max(1, Math.ceil(found.length / PAGE));
  const shown = found.slice(page * PAGE, (page + 1) * PAGE);
  return (
    <>
      <div class="toolbar">
        <h1>Customers</h1>
        <button type="button" onClick={() => { location.hash = '#/new'; }}>New customer</button>
      </div>
      <input type="search" aria-label="Search customers" placeholder="Name, email or city"
        value={text} onInput={(e) => { setText(e.currentTarget.value); setPage(0); }} />
      <p class="count" aria-live="polite">
        {found.length} of {state.customers.length} customers
      </p>
      <ul class="customers">
        {shown.map((c) => (
          <li key={c.customer_id}>
            <a href={`#/customers/${c.customer_id}`}>{c.name}</a>
            <span class="muted">{[c.email, c.address?.city].filter(Boolean).join(' · ')}</span>
            {c.pending.length > 0 && <span class="mark pending">pending</span>}
            {c.conflicts?.length > 0 && <span class="mark conflict">conflict</span>}
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous page</button>
          <span>Page {page + 1} of {pages}</span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>Next page</button>
        </nav>
      )}
    </>
  );
}
