import { describe, expect, it } from 'vitest';
import { freshDatabase, fakeServer } from './helpers.js';
import { getCursor, loadViews, pull } from '../src/localCopy.js';
import { overlay, overlayAll, search } from '../src/overlay.js';

function view(i, extra = {}) {
  return { customer_id: `c${i}`, version: 1, position: i, name: `Customer ${i}`, email: `c${i}@example.com`,
    phone: null, address: { street: 's', city: i % 2 ? 'Paris' : 'Lyon', postal_code: 'p', country: 'FR' },
    supplier: null, description: null, status: 'active', fields: {}, conflicts: [], ...extra };
}

describe('pulling the local copy', () => {
  it('follows the cursor page by page', async () => {
    const db = await freshDatabase();
    const server = fakeServer();
    server.views = Array.from({ length: 2500 }, (_, i) => view(i + 1));
    server.position = 2500;
    expect(await pull(db, server.api)).toBe(2500);
    expect(await getCursor(db)).toBe(2500);
    expect((await loadViews(db)).length).toBe(2500);
    expect(await pull(db, server.api)).toBe(0);
  });

  it('waits for the read model to reach the position asked for, then gives up', async () => {
    const db = await freshDatabase();
    const server = fakeServer();
    let clock = 0;
    const options = { until: 5, patienceMillis: 1000, sleep: async () => { clock += 300; }, now: () => clock };
    expect(await pull(db, server.api, options)).toBe(0);
    expect(clock).toBeGreaterThan(1000);
  });
});

describe('the overlay', () => {
  it('lays queued values over the local copy and marks them pending', () => {
    const shown = overlay('c1', view(1), [
      { type: 'ChangeName', customer_id: 'c1', payload: { name: 'John Doe' } },
      { type: 'ChangeSupplier', customer_id: 'c1', payload: { supplier: 'S' } }]);
    expect([shown.name, shown.supplier, shown.pending]).toEqual(['John Doe', 'S', ['name', 'supplier']]);
  });

  it('shows a customer registered offline, before any pull', () => {
    const all = overlayAll([view(1)], [
      { type: 'RegisterCustomer', customer_id: 'new', payload: { name: 'Aardvark' } }]);
    expect(all.map((c) => [c.name, c.version])).toEqual([['Aardvark', null], ['Customer 1', 1]]);
  });

  it('searches name, email and city', () => {
    const all = overlayAll(Array.from({ length: 10 }, (_, i) => view(i + 1)), []);
    expect(search(all, 'customer 1').map((c) => c.customer_id)).toEqual(['c1', 'c10']);
    expect(search(all, 'C3@EXAMPLE').map((c) => c.customer_id)).toEqual(['c3']);
    expect(search(all, 'lyon').length).toBe(5);
    expect(search(all, '').length).toBe(10);
  });
});
