import { describe, expect, it } from 'vitest';
import { freshDatabase } from './helpers.js';
import { countPending, enqueue, envelope, pending, pendingFor, wireCommand } from '../src/outbox.js';
import { changeCommands, registerCommand, resolveCommand } from '../src/edits.js';

const customer = { customer_id: 'c1', version: 20, name: 'Acme', email: null, phone: null,
  address: null, supplier: 'Initial', description: null, status: 'active', pending: [] };

describe('the outbox', () => {
  it('keeps commands in order, each stamped by the clock', async () => {
    const db = await freshDatabase();
    await enqueue(db, [envelope('ChangeName', 'c1', { name: 'A' }, 20),
      envelope('ChangeEmail', 'c2', { email: null }, 3)], 1000);
    await enqueue(db, [envelope('ChangeName', 'c1', { name: 'B' }, 20)], 1000);
    const queued = await pending(db);
    expect(queued.map((c) => c.payload)).toEqual([{ name: 'A' }, { email: null }, { name: 'B' }]);
    expect(new Set(queued.map((c) => c.issued_at)).size).toBe(3);
    expect(queued[0].issued_at < queued[2].issued_at).toBe(true);
    expect((await pendingFor(db, 'c1')).length).toBe(2);
    expect(await countPending(db)).toBe(3);
    expect(Object.keys(wireCommand(queued[0])).sort()).toEqual(
      ['base_version', 'command_id', 'customer_id', 'issued_at', 'payload', 'type']);
  });
});

describe('task-based edits', () => {
  it('make one command per changed field, from the local copy version', () => {
    const { commands, errors } = changeCommands(customer, { version: 20 }, {
      name: 'John Doe', email: '', phone: '', supplier: 'Other', description: '', status: 'active',
      address: { street: '', city: '', postal_code: '', country: '' } });
    expect(errors).toEqual({});
    expect(commands.map((c) => [c.type, c.payload, c.base_version])).toEqual([
      ['ChangeName', { name: 'John Doe' }, 20], ['ChangeSupplier', { supplier: 'Other' }, 20]]);
  });

  it('queue nothing when a rule is broken', () => {
    const { commands, errors } = changeCommands(customer, { version: 20 }, {
      name: 'John Doe', email: 'nope' });
    expect(commands).toEqual([]);
    expect(Object.keys(errors)).toEqual(['email']);
  });

  it('register a new customer with an id made here', () => {
    const { command } = registerCommand({ name: 'New', email: '', status: 'active',
      address: { street: '', city: '', postal_code: '', country: '' } });
    expect(command.type).toBe('RegisterCustomer');
    expect(command.customer_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(command.payload).toEqual({ name: 'New' });
    expect(command.base_version).toBeNull();
  });

  it('resolve a conflict by a candidate', () => {
    const command = resolveCommand({ conflict_id: 'k', customer_id: 'c1' }, { version: 22 },
      'candidate', { candidateCommandId: 'x' });
    expect(command.payload).toEqual({ conflict_id: 'k', choice: 'candidate', candidate_command_id: 'x' });
    expect(command.base_version).toBe(22);
  });
});
