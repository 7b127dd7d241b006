export function App() {
  return (
    <div className="app-shell">
      <header className="app-header">
        <h1 className="app-title">DimMem</h1>
        <p className="app-tagline">Private long-term memories from your chats, on your own GPU.</p>
      </header>
      <main className="app-main" aria-label="Workspace">
        <p>Nothing you import ever leaves this browser.</p>
      </main>
    </div>
  );
}
