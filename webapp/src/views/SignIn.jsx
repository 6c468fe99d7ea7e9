import { useState } from 'preact/hooks';

export function SignIn({ controller, state }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    await controller.signIn(token);
    setBusy(false);
  };
  return (
    <main class="sign-in">
      <h1>Customers</h1>
      <form onSubmit={submit}>
        <label for="token">Token</label>
        <input id="token" type="password" autocomplete="current-password" value={token}
          onInput={(e) => setToken(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>Sign in</button>
      </form>
      {state.signInMessage && <p class="error" role="alert">{state.signInMessage}</p>}
      {state.pendingCount > 0 && (
        <p>{state.pendingCount === 1 ? '1 queued edit is' : `${state.pendingCount} queued edits are`} kept on this browser.</p>
      )}
    </main>
  );
}
