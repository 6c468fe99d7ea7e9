// Who is signed in on this browser: the token and this browser's client_id (made once).
import { getSetting, setSetting } from './db.js';
import { Unauthorized, Unreachable } from './api.js';
import { countPending } from './outbox.js';

export const TOKEN_KEY = 'token';
export const CLIENT_ID_KEY = 'client_id';
// The employee whose token queued the outbox: the server records the sender's
// employee as author, so nobody else's token may send those edits.
export const EMPLOYEE_KEY = 'employee';

/** This browser's client_id, made the first time it is asked for. */
export async function clientId(db) {
  const tx = db.transaction('settings', 'readwrite');
  let id = await tx.store.get(CLIENT_ID_KEY);
  if (!id) {
    id = `browser-${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await tx.store.put(id, CLIENT_ID_KEY);
  }
  await tx.done;
  return id;
}

export async function storedToken(db) {
  return (await getSetting(db, TOKEN_KEY)) ?? null;
}

/** Whether ``employee`` may send this browser's outbox: null when so (and the
 * outbox is theirs from now on), else why not. */
export async function claimOutbox(db, employee) {
  const owner = await getSetting(db, EMPLOYEE_KEY);
  if (owner && owner !== employee && (await countPending(db)) > 0) {
    return `The edits queued on this browser are ${owner}'s: sign in as ${owner} to send them.`;
  }
  await setSetting(db, EMPLOYEE_KEY, employee);
  return null;
}

/** Checks the token with the server when it can be reached, then keeps it.
 * Returns null when the token is kept, else why it was refused. */
export async function signIn(db, api, token) {
  if (!token.trim()) return 'Enter your token.';
  try {
    const { employee } = await api.me();
    const refusal = await claimOutbox(db, employee);
    if (refusal) return refusal;
  } catch (error) {
    if (error instanceof Unauthorized) return 'The server refused this token.';
    if (!(error instanceof Unreachable)) throw error;
  }
  await setSetting(db, TOKEN_KEY, token.trim());
  return null;
}

/** Forgets the token only: the outbox is kept for the next sign-in. */
export async function forgetToken(db) {
  await db.delete('settings', TOKEN_KEY);
}

/** Signs out: forgets the token and this browser's copy, queued edits included. */
export async function signOut(db) {
  const stores = ['settings', 'outbox', 'views', 'verdicts', 'histories'];
  const tx = db.transaction(stores, 'readwrite');
  await Promise.all([
    tx.objectStore('settings').delete(TOKEN_KEY),
    tx.objectStore('settings').delete(EMPLOYEE_KEY),
    tx.objectStore('settings').delete('cursor'),
    ...stores.slice(1).map((s) => tx.objectStore(s).clear()),
  ]);
  await tx.done;
}
