// The team filter, for admins only (a lead always sees their own team, scoped by the
// server). The team names come from the user list, so there is nothing to type wrong.
import { useEffect, useState } from 'react';
import type { UserView } from '../../../contracts/agent-api';
import { useAuthStore } from '../state/auth-store';
import { http } from '../state/desk';
import { useViewStore } from '../state/view-store';

export function TeamFilter() {
  const role = useAuthStore((s) => s.user?.role);
  const team = useViewStore((s) => s.team);
  const setTeam = useViewStore((s) => s.setTeam);
  const [teams, setTeams] = useState<string[]>([]);

  useEffect(() => {
    if (role !== 'admin') return;
    const ctrl = new AbortController();
    http
      .get<{ users: UserView[] }>('/api/users', ctrl.signal)
      .then((res) => setTeams([...new Set(res.users.map((u) => u.team))].sort()))
      .catch(() => setTeams([]));
    return () => ctrl.abort();
  }, [role]);

  if (role !== 'admin') return null;
  return <TeamSelect teams={teams} value={team} onChange={setTeam} />;
}

/** "All teams" or one of `teams`; the empty value means all. */
export function TeamSelect(props: { teams: readonly string[]; value: string; onChange: (team: string) => void; className?: string }) {
  return (
    <label className={`field inline-field${props.className ? ` ${props.className}` : ''}`}>
      <span>Team</span>
      <select aria-label="Team" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">All teams</option>
        {props.teams.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </label>
  );
}
