// Sign-in: email and password for a bearer token. The server's message is shown as-is
// (it already says what to do); the form stays filled so a typo is quick to fix.
import { useState, type FormEvent } from 'react';
import { useAuthStore } from '../state/auth-store';
import { signIn } from '../state/desk';
import { ThemeToggle } from './theme-toggle';

export function LoginScreen() {
  const phase = useAuthStore((s) => s.phase);
  const message = useAuthStore((s) => s.message);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const busy = phase === 'signing_in';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) void signIn(email.trim(), password);
  };

  return (
    <main className="login-page">
      <div className="login-theme">
        <ThemeToggle />
      </div>
      <form className="login-card card" onSubmit={onSubmit} aria-labelledby="login-title" noValidate={false}>
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">◎</span> Switchboard
        </div>
        <h1 id="login-title">Sign in to your desk</h1>
        <p className="muted">Use the email and password your administrator gave you.</p>
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
