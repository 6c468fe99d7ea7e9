// The browser's own database: settings, the outbox, the local copy, verdicts and histories.
import { openDB } from 'idb';

export const DATABASE = 'customers';

export function openDatabase(name = DATABASE) {
  return openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('settings'); // token, client_id, clock, cursor
      const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      outbox.createIndex('customer_id', 'customer_id');
      db.createObjectStore('views', { keyPath: 'customer_id' });
      const verdicts = db.createObjectStore('verdicts', { keyPath: 'command_id' });
      verdicts.createIndex('customer_id', 'customer_id');
      db.createObjectStore('histories', { keyPath: 'customer_id' });
    },
  });
}

export async function getSetting(db, key) {
  return db.get('settings', key);
}

export async function setSetting(db, key, value) {
  return db.put('settings', value, key);
}
