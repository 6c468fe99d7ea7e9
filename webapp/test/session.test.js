import { describe, expect, it } from 'vitest';
import { freshDatabase } from './helpers.js';
import { Unauthorized, Unreachable } from '../src/api.js';
import { clientId, forgetToken, signIn, signOut, storedToken } from '../src/session.js';
import { countPending, enqueue, envelope } from '../src/outbox.js';

const answering = (outcome, employee = 'alice') => ({
  me: async () => { if (outcome) throw outcome; return { employee }; },
});

describe('the session', () => {
  it('makes the client_id once, of the characters the API allows', async () => {
    const db = await freshDatabase();
    const first = await clientId(db);
    expect(first).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
    expect(await clientId(db)).toBe(first);
  });

  it('keeps a token the server accepts, or cannot be asked about, and not one it refuses', async () => {
    const db = await freshDatabase();
    expect(await signIn(db, answering(new Unauthorized('no')), 'wrong')).toMatch(/refused/);
    expect(await storedToken(db)).toBeNull();
    expect(await signIn(db, answering(new Unreachable('offline')), ' alice-token ')).toBeNull();
    expect(await storedToken(db)).toBe('alice-token');
    expect(await signIn(db, answering(null), '')).toMatch(/Enter/);
  });

  it('forgets a refused token but keeps the outbox; signing out discards it', async () => {
    const db = await freshDatabase();
    await signIn(db, answering(null), 'alice-token');
    await enqueue(db, [envelope('ChangeName', 'c1', { name: 'A' }, 1)]);
    await forgetToken(db);
    expect([await storedToken(db), await countPending(db)]).toEqual([null, 1]);
    const id = await clientId(db);
    await signOut(db);
    expect(await countPending(db)).toBe(0);
    expect(await clientId(db)).toBe(id);
  });

  it("keeps one employee's queued edits from being sent under another's token", async () => {
    const db = await freshDatabase();
    expect(await signIn(db, answering(null, 'alice'), 'alice-token')).toBeNull();
    await enqueue(db, [envelope('ChangeName', 'c1', { name: 'A' }, 1)]);
    await forgetToken(db);
    expect(await signIn(db, answering(null, 'bob'), 'bob-token')).toMatch(/alice's: sign in as alice/);
    expect([await storedToken(db), await countPending(db)]).toEqual([null, 1]);
    expect(await signIn(db, answering(null, 'alice'), 'alice-token-2')).toBeNull();
    expect(await storedToken(db)).toBe('alice-token-2');
  });

  it('lets another employee sign in once the outbox is empty', async () => {
    const db = await freshDatabase();
    expect(await signIn(db, answering(null, 'alice'), 'alice-token')).toBeNull();
    await forgetToken(db);
    expect(await signIn(db, answering(null, 'bob'), 'bob-token')).toBeNull();
  });
});
