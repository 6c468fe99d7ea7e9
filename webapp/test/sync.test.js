import { describe, expect, it } from 'vitest';
import { freshDatabase, fakeServer } from './helpers.js';
import { countPending, enqueue, envelope } from '../src/outbox.js';
import { Unauthorized } from '../src/api.js';
import { dismissVerdict, openVerdicts, push, recordVerdicts, syncOnce, withSyncLock } from '../src/sync.js';

async function queueEdits(db, count) {
  const commands = Array.from({ length: count },
    (_, i) => envelope('ChangeDescription', `c${i % 3}`, { description: `edit ${i}` }, 1));
  return enqueue(db, commands);
}

describe('pushing the outbox', () => {
  it('sends in batches, in order, and empties the outbox', async () => {
    const db = await freshDatabase();
    const server = fakeServer();
    const queued = await queueEdits(db, 7);
    const { received, position } = await push(db, server.api, 'browser-1', { batchSize: 3 });
    expect(server.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(server.batches.flat()).toEqual(queued.map((c) => c.command_id));
    expect(received.length).toBe(7);
    expect(position).toBe(7);
    expect(await countPending(db)).toBe(0);
  });

  it('halves a batch the server finds too large', async () => {
    const db = await freshDatabase();
    const server = fakeServer({ limit: 2 });
    await queueEdits(db, 5);
    await push(db, server.api, 'browser-1', { batchSize: 8 });
    expect(server.batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(await countPending(db)).toBe(0);
  });

  it('keeps the outbox when the token is refused', async () => {
    const db = await freshDatabase();
    const server = fakeServer();
    server.refuseToken = true;
    await queueEdits(db, 2);
    await expect(push(db, server.api, 'browser-1')).rejects.toBeInstanceOf(Unauthorized);
    expect(await countPending(db)).toBe(2);
  });

  it('after a dropped answer re-sends, and the server answers duplicate', async () => {
    const db = await freshDatabase();
    const server = fakeServer();
    const queued = await queueEdits(db, 3);
    const lost = { ...server.api, sync: async (...args) => { await server.api.sync(...args); throw new Error('connection reset'); } };
    await expect(push(db, lost, 'browser-1')).rejects.toThrow('connection reset');
    expect(await countPending(db)).toBe(3);
    const { received } = await push(db, server.api, 'browser-1');
    expect(received.every((r) => r.duplicate)).toBe(true);
    expect(server.recorded.size).toBe(3);
    expect(queued.length).toBe(3);
  });
});

describe('verdicts', () => {
  it('are stored and their commands removed together; the others need dismissing', async () => {
    const db = await freshDatabase();
    const [a, b] = await queueEdits(db, 2);
    await recordVerdicts(db, [a, b], [
      { command_id: a.command_id, status: 'applied' },
      { command_id: b.command_id, status: 'conflict', conflict_id: 'k' }]);
    expect(await countPending(db)).toBe(0);
    const open = await openVerdicts(db);
    expect(open.map((v) => [v.command_id, v.type, v.payload])).toEqual(
      [[b.command_id, 'ChangeDescription', b.payload]]);
    await dismissVerdict(db, b.command_id);
    expect(await openVerdicts(db)).toEqual([]);
  });

  it('a mismatched answer stores nothing and keeps the outbox', async () => {
    const db = await freshDatabase();
    const [a, b] = await queueEdits(db, 2);
    await expect(recordVerdicts(db, [a, b], [{ command_id: a.command_id, status: 'applied' }]))
      .rejects.toThrow(/different number/);
    expect(await countPending(db)).toBe(2);
  });
});

describe('a whole sync', () => {
  it('pushes then pulls up to the position the push returned', async () => {
    const db = await freshDatabase();
    const server = fakeServer();
    await queueEdits(db, 2);
    server.views = [{ customer_id: 'c0', version: 2, position: 1, name: 'Acme', conflicts: [] }];
    const { received, pulled } = await syncOnce(db, server.api, 'browser-1');
    expect(received.length).toBe(2);
    expect(pulled).toBe(1);
    expect((await db.get('views', 'c0')).name).toBe('Acme');
  });

  it('runs under the lock when the browser has Web Locks', async () => {
    const held = [];
    const locks = { request: async (name, work) => { held.push(name); return work(); } };
    expect(await withSyncLock(async () => 42, locks)).toBe(42);
    expect(held).toEqual(['customers-sync']);
  });
});
