import 'fake-indexeddb/auto';
import { openDatabase } from '../src/db.js';
import { Unauthorized } from '../src/api.js';

let opened = 0;

/** A database of its own for each test. */
export function freshDatabase() {
  opened += 1;
  return openDatabase(`test-${opened}-${Math.random()}`);
}

/** An API stand-in that records what it was sent and answers like the server. */
export function fakeServer({ limit = Infinity } = {}) {
  const server = { batches: [], recorded: new Map(), position: 0, views: [], refuseToken: false };
  server.api = {
    async sync(clientId, commands) {
      if (server.refuseToken) throw new Unauthorized('the token is not valid');
      if (commands.length > limit) throw Object.assign(new Error('too large'), { status: 413 });
      server.batches.push(commands.map((c) => c.command_id));
      const results = commands.map((c) => {
        const duplicate = server.recorded.has(c.command_id);
        if (!duplicate) server.recorded.set(c.command_id, c);
        return { command_id: c.command_id, customer_id: c.customer_id, status: 'applied',
          version: 1, duplicate, conflict_id: null, reason: null, detail: null };
      });
      server.position += commands.length;
      return { results, position: server.position };
    },
    async views(since, pageSize) {
      const items = server.views.filter((v) => v.position > since).slice(0, pageSize);
      const next = items.length ? items[items.length - 1].position : since;
      return { items, next, position: server.position };
    },
  };
  return server;
}
