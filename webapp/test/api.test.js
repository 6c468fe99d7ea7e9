import { describe, expect, it } from 'vitest';
import { createApi, Refused, retryAfterSeconds, Unauthorized, Unreachable } from '../src/api.js';

function answers(...responses) {
  const sent = [];
  const fetchImpl = async (url, init) => {
    sent.push({ url, init });
    const next = responses.shift();
    if (next instanceof Error) throw next;
    return new Response(JSON.stringify(next.body ?? {}), { status: next.status ?? 200, headers: next.headers });
  };
  return { sent, fetchImpl };
}

describe('the API', () => {
  it('sends the token only in the Authorization header', async () => {
    const { sent, fetchImpl } = answers({ body: { items: [], next: 0, position: 0 } });
    await createApi('secret', { fetchImpl }).views(0);
    expect(sent[0].url).toBe('/customers?since=0&limit=1000');
    expect(sent[0].url).not.toContain('secret');
    expect(sent[0].init.headers.Authorization).toBe('Bearer secret');
  });

  it('waits as Retry-After asks, then tries again', async () => {
    const waits = [];
    const { fetchImpl } = answers({ status: 503, headers: { 'Retry-After': '7' } }, { body: { results: [], position: 3 } });
    const api = createApi('t', { fetchImpl, sleep: async (ms) => waits.push(ms) });
    expect((await api.sync('b', [])).position).toBe(3);
    expect(waits).toEqual([7000]);
  });

  it('gives up after its attempts: unreachable', async () => {
    const { fetchImpl } = answers(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'));
    const api = createApi('t', { fetchImpl, attempts: 2, sleep: async () => {} });
    await expect(api.probe()).rejects.toBeInstanceOf(Unreachable);
  });

  it('tells a refused token and a refused request apart', async () => {
    const { fetchImpl } = answers({ status: 401, body: { detail: 'the token is not valid' } },
      { status: 413, body: { detail: 'too large' } });
    const api = createApi('t', { fetchImpl });
    await expect(api.probe()).rejects.toBeInstanceOf(Unauthorized);
    await expect(api.sync('b', [])).rejects.toMatchObject({ status: 413 });
    expect(Refused).toBeTypeOf('function');
  });

  it('reads Retry-After as seconds, at most a minute', () => {
    expect(retryAfterSeconds('2')).toBe(2);
    expect(retryAfterSeconds('3600')).toBe(60);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0);
    expect(retryAfterSeconds(null)).toBe(0);
  });
});
