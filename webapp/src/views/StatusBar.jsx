export function StatusBar({ controller, state }) {
  const parts = [
    state.online ? 'Online' : 'Offline',
    state.pendingCount ? `${state.pendingCount} pending` : 'All synced',
    state.syncing ? 'Syncing…' : null,
    !state.syncing && state.lastSync ? `last sync ${state.lastSync.toLocaleTimeString()}` : null,
    state.problem,
  ].filter(Boolean);
  const signOut = () => {
    const queued = state.pendingCount;
    if (queued && !confirm(`Signing out discards ${queued} queued edits. Sign out?`)) return;
    controller.signOut();
  };
  return (
    <div class="status-bar">
      <p role="status">{parts.join(' · ')}</p>
      <button type="button" onClick={() => controller.sync()}>Sync now</button>
      <button type="button" class="secondary" onClick={signOut}>Sign out</button>
    </div>
  );
}
