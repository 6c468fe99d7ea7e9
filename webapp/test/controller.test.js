import { afterEach, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from './helpers.js';
import { createController } from '../src/controller.js';
import { countPending, envelope } from '../src/outbox.js';

/** A server behind `fetch` whose first read of the views waits until released. */
function heldServer() {
  const server = { sent: [], position: 0 };
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let reached;
  server.reached = new Promise((resolve) => { reached = resolve; });
  server.release = release;
  let reads = 0;
  const json = (body) => new Response(JSON.stringify(body), {
    status: 200, headers: { 'Content-Type': 'application/json' },
  });
  server.fetch = async (url, { method, body }) => {
    if (url === '/me') return json({ employee: 'alice' });
    if (method === 'POST' && url === '/sync') {
      const { commands } = JSON.parse(body);
      server.sent.push(...commands.map((c) => c.command_id));
      server.position += commands.length;
      return json({
        position: server.position,
        results: commands.map((c) => ({
          command_id: c.command_id, customer_id: c.customer_id, status: 'applied',
          version: 1, duplicate: false, conflict_id: null, reason: null, detail: null,
        })),
      });
    }
    if (url.startsWith('/customers?')) {
      reads += 1;
      if (reads === 1) {
        reached();
        await held;
      }
      return json({ items: [], next: 0, position: server.position });
    }
    return new Response('{}', { status: 404 });
  };
  return server;
}

afterEach(() => vi.unstubAllGlobals());

describe('the controller', () => {
  it('runs a sync asked for during a sync once that one ends', async () => {
    const server = heldServer();
    vi.stubGlobal('fetch', server.fetch);
    const db = await freshDatabase();
    const controller = createController(db, { online: () => true });
    await controller.start();

    const signedIn = controller.signIn('alice-token'); // its sync pushes an empty outbox
    await server.reached; // ...and is now reading the views
    const edit = envelope('ChangeName', 'c1', { name: 'Acme' }, 1);
    await controller.queue([edit]); // asks for a sync while that one runs
    expect(server.sent).toEqual([]);

    server.release();
    await signedIn;
    expect(server.sent).toEqual([edit.command_id]);
    expect(await countPending(db)).toBe(0);
    expect(controller.state.syncing).toBe(false);
  });
});
