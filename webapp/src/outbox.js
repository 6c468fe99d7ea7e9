// The outbox: commands queued on this device, in order, until their verdict is stored.
import { nextStamp } from './clock.js';

/** A new command; issued_at is stamped when it is queued. */
export function envelope(type, customerId, payload, baseVersion) {
  return {
    command_id: crypto.randomUUID(), type, customer_id: customerId,
    base_version: baseVersion, payload,
  };
}

/** Queues commands, each stamped by the clock, in one transaction; returns them. */
export async function enqueue(db, envelopes, nowMillis = Date.now()) {
  const tx = db.transaction(['settings', 'outbox'], 'readwrite');
  const queued = [];
  for (const command of envelopes) {
    const entry = { ...command, issued_at: await nextStamp(tx, nowMillis) };
    entry.seq = await tx.objectStore('outbox').add(entry);
    queued.push(entry);
  }
  await tx.done;
  return queued;
}

/** The oldest queued commands, at most `limit`. */
export async function pending(db, limit) {
  return db.getAll('outbox', null, limit);
}

export async function pendingFor(db, customerId) {
  return db.getAllFromIndex('outbox', 'customer_id', customerId);
}

export async function countPending(db) {
  return db.count('outbox');
}

/** The command as the API takes it (without the outbox's own sequence number). */
export function wireCommand({ seq, ...command }) {
  return command;
}
