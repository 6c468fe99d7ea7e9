// The local copy of the view model, pulled by cursor (GET /customers?since=).

export const CURSOR_KEY = 'cursor';
export const PAGE_SIZE = 1000;

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stores one page of views and the cursor after it, in one transaction. */
export async function saveViews(db, items, next) {
  const tx = db.transaction(['views', 'settings'], 'readwrite');
  for (const view of items) tx.objectStore('views').put(view);
  tx.objectStore('settings').put(next, CURSOR_KEY);
  await tx.done;
}

export async function getCursor(db) {
  return (await db.get('settings', CURSOR_KEY)) ?? 0;
}

export async function loadViews(db) {
  return db.getAll('views');
}

export async function loadView(db, customerId) {
  return db.get('views', customerId);
}

/** Fetches the views changed since the cursor, page by page, until the read model
 * has reached position `until` (waiting at most `patienceMillis` for it); returns
 * how many views came. */
export async function pull(db, api, { until = 0, patienceMillis = 10000, sleep = wait,
  now = () => Date.now() } = {}) {
  let pulled = 0;
  const deadline = now() + patienceMillis;
  for (;;) {
    const page = await api.views(await getCursor(db), PAGE_SIZE);
    if (page.items.length) {
      await saveViews(db, page.items, page.next);
      pulled += page.items.length;
    } else if (page.position >= until || now() > deadline) {
      return pulled;
    } else {
      await sleep(100);
    }
  }
}

/** Keeps a customer's history (GET /customers/<id>/history) for offline reading. */
export async function refreshHistory(db, api, customerId) {
  const history = await api.history(customerId);
  await db.put('histories', history);
  return history;
}

export async function loadHistory(db, customerId) {
  return db.get('histories', customerId);
}
