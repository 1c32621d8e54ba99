// One user in the admin table, with inline edit (role, team, skills), password reset and
// activate/deactivate, each a PATCH /api/users/:id validated against UserUpdate.
import { useState } from 'react';
import { UserUpdate, type UserView } from '../../../contracts/agent-api';
import type { Role } from '../../../contracts/api';
import { http } from '../state/desk';
import { queueLabel } from '../state/format';
import { SkillPicker } from './skill-picker';
import { RoleTeamFields } from './role-team-fields';

type Mode = 'view' | 'edit' | 'password';

export function UserRow({ user, onChanged, teams }: { user: UserView; onChanged: (u: UserView) => void; teams: readonly string[] }) {
  const [mode, setMode] = useState<Mode>('view');
  const [role, setRole] = useState<Role>(user.role);
  const [team, setTeam] = useState(user.team);
  const [skills, setSkills] = useState(user.skills);
  const [languages, setLanguages] = useState(user.languages.join(', '));
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const patch = async (body: unknown, after?: () => void) => {
    const parsed = UserUpdate.safeParse(body);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Check the values.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onChanged(await http.patch<UserView>(`/api/users/${encodeURIComponent(user.id)}`, parsed.data));
      setMode('view');
      after?.();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <tr className={user.active ? undefined : 'row-inactive'}>
        <td>{user.name}</td>
        <td>{user.email}</td>
        <td>{user.role}</td>
        <td>{user.team}</td>
        <td>
          {user.skills.map(queueLabel).join(', ')}
          {user.languages.length > 0 ? <span className="muted"> · speaks {user.languages.join(', ')}</span> : null}
        </td>
        <td>
          {user.active ? (
            <span className="badge badge-ok">Active</span>
          ) : (
            <span className="badge">Deactivated</span>
          )}
        </td>
        <td className="row-actions">
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={mode === 'edit'}
            onClick={() => setMode(mode === 'edit' ? 'view' : 'edit')}
            aria-label={`Edit ${user.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={mode === 'password'}
            onClick={() => setMode(mode === 'password' ? 'view' : 'password')}
            aria-label={`Reset password for ${user.name}`}
          >
            Reset password
          </button>
          <button
            type="button"
            className={`btn btn-small${user.active ? ' btn-danger' : ''}`}
            disabled={busy}
            onClick={() => {
              if (
                !user.active ||
                window.confirm(`Deactivate ${user.name}? They will be signed out and cannot sign in.`)
              )
                void patch({ active: !user.active });
            }}
          >
            {user.active ? 'Deactivate' : 'Reactivate'}
          </button>
        </td>
      </tr>
      {mode !== 'view' || error ? (
        <tr className="row-detail">
          <td colSpan={7}>
            {mode === 'edit' ? (
              <form
                className="user-form inline"
                onSubmit={(e) => (
                  e.preventDefault(),
                  void patch({ role, team, skills, languages: languages.split(',').map((l) => l.trim()).filter(Boolean) })
                )}
              >
                <RoleTeamFields role={role} onRole={setRole} team={team} onTeam={setTeam} teams={teams} />
                <SkillPicker idPrefix={`skills-${user.id}`} value={skills} onChange={setSkills} />
                <label className="field">
                  <span>Languages, working language first (e.g. en-US, es-ES)</span>
                  <input value={languages} onChange={(e) => setLanguages(e.target.value)} />
                </label>
                <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
                  Save
                </button>
              </form>
            ) : null}
            {mode === 'password' ? (
              <form
                className="user-form inline"
                onSubmit={(e) => (e.preventDefault(), void patch({ password }, () => setPassword('')))}
              >
                <label className="field">
                  <span>New password for {user.name} (12+ characters)</span>
                  <input
                    type="password"
                    autoComplete="new-password"
                    minLength={12}
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                </label>
                <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
                  Set password
                </button>
              </form>
            ) : null}
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
