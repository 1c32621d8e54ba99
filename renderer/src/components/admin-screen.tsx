// User administration (admins only): everyone who can sign in, creating agents and leads,
// editing role, team and skills, resetting a password, and deactivating an account.
import { useCallback, useEffect, useState } from 'react';
import type { UserView } from '../../../contracts/agent-api';
import { http } from '../state/desk';
import { searchUsers, teamsInUse } from '../state/user-search';
import { UserCreateForm } from './user-create-form';
import { UserRow } from './user-row';

export function AdminScreen() {
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const teams = teamsInUse(users ?? []);
  const shown = users ? searchUsers(users, query) : null;

  const load = useCallback(async () => {
    try {
      const res = await http.get<{ users: UserView[] }>('/api/users');
      setUsers(res.users);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const replace = (u: UserView) =>
    setUsers((list) => (list ? list.map((x) => (x.id === u.id ? u : x)) : [u]));

  return (
    <main className="admin" id="main">
      <h1>Users</h1>
      <UserCreateForm teams={teams} onCreated={(u) => setUsers((list) => [...(list ?? []), u])} />
      <section className="card" aria-labelledby="users-title" aria-busy={users === null && !error}>
        <div className="view-head">
          <h2 id="users-title">Everyone who can sign in</h2>
          <label className="field inline-field users-search">
            <span>Search</span>
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name, email, team or role" />
          </label>
        </div>
        {shown && users && users.length > 0 && shown.length === 0 ? (
          <p className="muted">Nobody matches “{query}”. Clear the search to see everyone.</p>
        ) : null}
        {error ? (
          <div className="form-error" role="alert">
            {error}{' '}
            <button type="button" className="btn btn-small" onClick={() => void load()}>
              Try again
            </button>
          </div>
        ) : null}
        {users === null && !error ? <p className="muted">Loading users…</p> : null}
        {shown && shown.length > 0 ? (
          <table className="table users-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Team</th>
                <th scope="col">Skills</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => (
                <UserRow key={u.id} user={u} onChanged={replace} teams={teams} />
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </main>
  );
}
