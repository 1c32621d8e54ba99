// Creates an agent, lead or admin (POST /api/users), checked against UserCreate first so
// the admin sees a fixable message without a round trip.
import { useState, type FormEvent } from 'react';
import { UserCreate, type UserView } from '../../../contracts/agent-api';
import type { Role } from '../../../contracts/api';
import type { QueueSkill } from '../../../contracts/conversation';
import { http } from '../state/desk';
import { SkillPicker } from './skill-picker';
import { RoleTeamFields } from './role-team-fields';

export function UserCreateForm({ onCreated, teams }: { onCreated: (u: UserView) => void; teams: readonly string[] }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [team, setTeam] = useState('default');
  const [skills, setSkills] = useState<QueueSkill[]>(['general']);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = UserCreate.safeParse({
      email: email.trim(),
      name: name.trim(),
      role,
      team: team.trim() || 'default',
      skills,
      password,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(issue ? `${String(issue.path[0] ?? 'Form')}: ${issue.message}` : 'Check the form.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await http.post<UserView>('/api/users', parsed.data);
      onCreated(user);
      setDone(`Created ${user.name}. Give them their password through a safe channel.`);
      setEmail('');
      setName('');
      setPassword('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="create-user-title">
      <h2 id="create-user-title">Add a user</h2>
      <form className="user-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="off"
          />
        </label>
        <RoleTeamFields role={role} onRole={setRole} team={team} onTeam={setTeam} teams={teams.includes('default') ? teams : ['default', ...teams]} />
        <SkillPicker idPrefix="new-user" value={skills} onChange={setSkills} />
        <label className="field">
          <span>Initial password (12+ characters)</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            minLength={12}
            required
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {done ? (
          <p className="form-ok" role="status">
            {done}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </form>
    </section>
  );
}
