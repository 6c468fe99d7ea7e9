// The sync loop: push the outbox in batches to POST /sync, store each verdict and
// remove its command in one IndexedDB transaction, then pull up to the position
// the server returned. One tab at a time (Web Locks).
import { pending, wireCommand } from './outbox.js';
import { pull } from './localCopy.js';

export const BATCH_SIZE = 500;
export const PAYLOAD_TOO_LARGE = 413;
export const LOCK_NAME = 'customers-sync';
export const NEEDS_ATTENTION = new Set(['conflict', 'superseded', 'rejected']);

/** Stores the verdicts of a batch and takes its commands out of the outbox, atomically. */
export async function recordVerdicts(db, batch, results, receivedAt = new Date().toISOString()) {
  if (results.length !== batch.length) throw new Error('the server answered a different number of results');
  const tx = db.transaction(['outbox', 'verdicts'], 'readwrite');
  batch.forEach((command, index) => {
    const result = results[index];
    tx.objectStore('verdicts').put({
      ...result, type: command.type, payload: command.payload, customer_id: command.customer_id,
      issued_at: command.issued_at, received_at: receivedAt,
      dismissed: !NEEDS_ATTENTION.has(result.status),
    });
    tx.objectStore('outbox').delete(command.seq);
  });
  await tx.done;
}

/** Sends the outbox in batches; returns the verdicts and the position to pull up to.
 * A batch too large for the server's body limit is sent again in halves. */
export async function push(db, api, clientId, { batchSize = BATCH_SIZE, onProgress } = {}) {
  let size = batchSize;
  let position = 0;
  const received = [];
  for (;;) {
    const batch = await pending(db, size);
    if (!batch.length) return { received, position };
    let answer;
    try {
      answer = await api.sync(clientId, batch.map(wireCommand));
    } catch (error) {
      if (error.status === PAYLOAD_TOO_LARGE && batch.length > 1) {
        size = Math.floor(batch.length / 2);
        continue;
      }
      throw error;
    }
    await recordVerdicts(db, batch, answer.results);
    received.push(...answer.results);
    position = Math.max(position, answer.position);
    onProgress?.(received.length);
  }
}

/** Push, then pull until the read model shows what was pushed. */
export async function syncOnce(db, api, clientId, options = {}) {
  const { received, position } = await push(db, api, clientId, options);
  const pulled = await pull(db, api, { until: position });
  return { received, position, pulled };
}

/** Runs `work` while holding the sync lock, so one tab syncs at a time. */
export function withSyncLock(work, locks = globalThis.navigator?.locks) {
  return locks ? locks.request(LOCK_NAME, work) : work();
}

/** Verdicts still waiting for the employee to look at them, newest first. */
export async function openVerdicts(db) {
  const all = await db.getAll('verdicts');
  return all.filter((v) => !v.dismissed).sort((a, b) => (a.received_at < b.received_at ? 1 : -1));
}

export async function dismissVerdict(db, commandId) {
  const tx = db.transaction('verdicts', 'readwrite');
  const verdict = await tx.store.get(commandId);
  if (verdict) await tx.store.put({ ...verdict, dismissed: true });
  await tx.done;
}
