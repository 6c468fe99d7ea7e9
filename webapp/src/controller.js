// The page's state over the modules: what the views read and the actions they call.
// Other tabs hear of every change on a BroadcastChannel and reload what they show.
import { createApi, Unauthorized, Unreachable } from './api.js';
import { claimOutbox, clientId, forgetToken, signIn, signOut, storedToken } from './session.js';
import { countPending, enqueue, pending } from './outbox.js';
import { loadHistory, loadViews, refreshHistory } from './localCopy.js';
import { overlayAll } from './overlay.js';
import { BATCH_SIZE, dismissVerdict, openVerdicts, syncOnce, withSyncLock } from './sync.js';
import { getSetting } from './db.js';

export const SYNC_EVERY_MILLIS = 30000;
// Commands per POST /sync, BATCH_SIZE unless this setting says otherwise.
export const BATCH_SIZE_KEY = 'batch_size';
const CHANNEL = 'customers';

export function createController(db, { online = () => navigator.onLine } = {}) {
  const listeners = new Set();
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  const state = {
    ready: false, token: null, clientId: null, views: new Map(), queued: [], customers: [],
    pendingCount: 0, verdicts: [], online: online(), syncing: false, lastSync: null,
    problem: null, signInMessage: null, histories: new Map(),
  };
  let api = null;
  let outboxClaimed = false; // whether this token's employee was checked against the outbox's

  const notify = () => listeners.forEach((listener) => listener({ ...state }));

  async function reload({ views = false } = {}) {
    if (views) {
      const started = performance.now();
      state.views = new Map((await loadViews(db)).map((v) => [v.customer_id, v]));
      performance.measure('customers:load-views', { start: started });
    }
    state.queued = await pending(db);
    state.pendingCount = await countPending(db);
    state.customers = overlayAll([...state.views.values()], state.queued);
    state.verdicts = await openVerdicts(db);
    notify();
  }

  function changed(what) {
    channel?.postMessage(what);
    return reload(what);
  }

  channel?.addEventListener('message', (event) => reload(event.data));

  async function start() {
    state.token = await storedToken(db);
    state.clientId = await clientId(db);
    api = state.token ? createApi(state.token) : null;
    state.ready = true;
    await reload({ views: true });
    if (state.token) sync();
  }

  // The token was refused: back to sign-in, the outbox kept for the next token.
  async function refused(
    why = 'The server refused your token: sign in again. Your queued edits are kept.') {
    await forgetToken(db);
    state.token = null;
    api = null;
    outboxClaimed = false;
    state.signInMessage = why;
    notify();
  }

  // A sync asked for while one runs (an edit queued, "Sync now" pressed) is run
  // when that one ends: the running one may have pushed the outbox already.
  let syncAgain = false;

  async function sync() {
    if (!api) return;
    if (state.syncing) {
      syncAgain = true;
      return;
    }
    syncAgain = false;
    state.online = online();
    if (!state.online) return notify();
    state.syncing = true;
    state.problem = null;
    notify();
    try {
      if (!outboxClaimed) {
        const refusal = await claimOutbox(db, (await api.me()).employee);
        if (refusal) return await refused(refusal);
        outboxClaimed = true;
      }
      await withSyncLock(async () => {
        const started = performance.now();
        const batchSize = (await getSetting(db, BATCH_SIZE_KEY)) ?? BATCH_SIZE;
        await syncOnce(db, api, state.clientId, { batchSize });
        performance.measure('customers:sync', { start: started });
      });
      state.lastSync = new Date();
    } catch (error) {
      if (error instanceof Unauthorized) {
        await refused();
      } else if (error instanceof Unreachable) {
        state.problem = `Sync failed: ${error.message}; it will be tried again.`;
      } else {
        state.problem = `Sync failed: ${error.message}`;
      }
    } finally {
      state.syncing = false;
    }
    await changed({ views: true });
    if (syncAgain) await sync();
  }

  return {
    get state() { return { ...state }; },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start,
    sync,
    setOnline(value) {
      state.online = value;
      notify();
      if (value) sync();
    },
    async signIn(token) {
      const candidate = createApi(token.trim());
      const refusal = await signIn(db, candidate, token);
      if (refusal) {
        state.signInMessage = refusal;
        return notify();
      }
      state.token = token.trim();
      state.signInMessage = null;
      api = candidate;
      outboxClaimed = false;
      notify();
      await sync();
    },
    async signOut() {
      await signOut(db);
      state.token = null;
      api = null;
      state.views = new Map();
      await changed({ views: true });
    },
    async queue(commands) {
      await enqueue(db, commands);
      await changed({ views: false });
      if (state.online) sync();
    },
    async dismiss(commandId) {
      await dismissVerdict(db, commandId);
      await changed({ views: false });
    },
    async history(customerId) {
      if (api && online()) {
        try {
          return await refreshHistory(db, api, customerId);
        } catch (error) {
          if (error instanceof Unauthorized) await refused();
          else if (!(error instanceof Unreachable) && error.status !== 404) {
            state.problem = `History: ${error.message}`;
            notify();
          }
        }
      }
      return (await loadHistory(db, customerId)) ?? null;
    },
  };
}
