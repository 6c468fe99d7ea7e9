// The clock that stamps issued_at: never backwards, even across reloads, because
// the last stamp is kept in IndexedDB and each new one is max(now, last + 1 µs).

export const CLOCK_KEY = 'clock';

/** An RFC 3339 time with microseconds, from microseconds since the epoch. */
export function formatMicros(micros) {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}+00:00`;
}

/** The next stamp, inside a readwrite transaction that includes 'settings'. */
export async function nextStamp(tx, nowMillis = Date.now()) {
  const settings = tx.objectStore('settings');
  const last = (await settings.get(CLOCK_KEY)) ?? 0;
  const next = Math.max(Math.floor(nowMillis * 1000), last + 1);
  await settings.put(next, CLOCK_KEY);
  return formatMicros(next);
}
