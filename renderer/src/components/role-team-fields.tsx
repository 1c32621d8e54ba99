// The role and team fields of an account, shared by the create form and the edit row. The
// team is picked from the teams in use; a new team is named once, through "New team…".
import { useState } from 'react';
import type { Role } from '../../../contracts/api';

const NEW_TEAM = '\u0000new';

export function RoleTeamFields(props: {
  role: Role;
  onRole: (role: Role) => void;
  team: string;
  onTeam: (team: string) => void;
  teams: readonly string[];
}) {
  const known = props.teams.includes(props.team);
  const [naming, setNaming] = useState(!known && props.team !== '');
  const options = known || naming || !props.team ? props.teams : [...props.teams, props.team].sort();
  return (
    <>
      <label className="field">
        <span>Role</span>
        <select value={props.role} onChange={(e) => props.onRole(e.target.value as Role)}>
          <option value="agent">Agent</option>
          <option value="lead">Team lead</option>
          <option value="admin">Admin</option>
        </select>
      </label>
      <label className="field">
        <span>Team</span>
        <select
          aria-label="Team"
          value={naming ? NEW_TEAM : props.team}
          onChange={(e) => {
            const next = e.target.value;
            setNaming(next === NEW_TEAM);
            props.onTeam(next === NEW_TEAM ? '' : next);
          }}
        >
          {options.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
          <option value={NEW_TEAM}>New team…</option>
        </select>
      </label>
      {naming ? (
        <label className="field">
          <span>New team name</span>
          <input value={props.team} onChange={(e) => props.onTeam(e.target.value)} maxLength={60} required />
        </label>
      ) : null}
    </>
  );
}
