// The HTTP API of the server (the page's own origin). The token goes only in the
// Authorization header. Retries what re-sending can mend (every write is
// idempotent), honouring Retry-After.

export const TRANSIENT = new Set([502, 503, 504]);
export const MAX_RETRY_AFTER_SECONDS = 60;

export class Unauthorized extends Error {}
export class Unreachable extends Error {}
export class Refused extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The seconds a Retry-After header asks to wait (at most a minute), 0 if unreadable. */
export function retryAfterSeconds(header) {
  const seconds = Number(header ?? 0);
  if (!Number.isFinite(seconds) || header === '') return 0;
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function createApi(token, { base = '', fetchImpl = (...a) => fetch(...a), attempts = 4,
  backoffMillis = 500, sleep = wait } = {}) {
  async function request(method, path, body) {
    let delay = backoffMillis;
    let failure = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      let response = null;
      try {
        response = await fetchImpl(base + path, {
          method,
          cache: 'no-store',
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        failure = `the server is unreachable (${error.name})`;
      }
      if (response && !TRANSIENT.has(response.status)) return answer(response);
      if (response) {
        failure = `the server answered ${response.status}`;
        delay = Math.max(delay, retryAfterSeconds(response.headers.get('Retry-After')) * 1000);
      }
      if (attempt < attempts) {
        await sleep(delay);
        delay *= 2;
      }
    }
    throw new Unreachable(failure);
  }

  return {
    sync: (clientId, commands) => request('POST', '/sync', { client_id: clientId, commands }),
    views: (since, limit = 1000) => request('GET', `/customers?since=${since}&limit=${limit}`),
    history: (customerId) => request('GET', `/customers/${encodeURIComponent(customerId)}/history`),
    probe: () => request('GET', '/customers?since=0&limit=1'),
    me: () => request('GET', '/me'),
  };
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.status === 401) throw new Unauthorized(body?.detail || 'the token was refused');
  if (response.status >= 400) throw new Refused(response.status, body ?? {});
  if (body === null || typeof body !== 'object') {
    throw new Refused(response.status, { detail: 'the answer is not this API\'s JSON' });
  }
  return body;
}
