import { describe, expect, it } from 'vitest';
import { freshDatabase } from './helpers.js';
import { formatMicros, nextStamp } from '../src/clock.js';

async function stamp(db, now) {
  const tx = db.transaction('settings', 'readwrite');
  const value = await nextStamp(tx, now);
  await tx.done;
  return value;
}

describe('the clock', () => {
  it('writes RFC 3339 with microseconds and an offset', () => {
    expect(formatMicros(Date.UTC(2026, 10, 26, 9, 15, 0, 123) * 1000 + 456))
      .toBe('2026-11-26T09:15:00.123456+00:00');
  });

  it('never goes backwards, even when the computer clock does', async () => {
    const db = await freshDatabase();
    const first = await stamp(db, 2_000_000);
    const second = await stamp(db, 1_000_000); // the clock was set back
    const third = await stamp(db, 2_000_000);
    expect(second > first).toBe(true);
    expect(third > second).toBe(true);
    expect(second).toBe('1970-01-01T00:33:20.000001+00:00');
  });

  it('keeps its last stamp across a reopening of the database', async () => {
    const db = await freshDatabase();
    await stamp(db, 5_000_000);
    const again = await stamp(db, 1);
    expect(again).toBe('1970-01-01T01:23:20.000001+00:00');
  });
});
