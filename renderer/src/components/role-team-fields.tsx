// The role and team fields of an account, shared by the create form and the edit row.
import type { Role } from '../../../contracts/api';

export function RoleTeamFields(props: {
  role: Role;
  onRole: (role: Role) => void;
  team: string;
  onTeam: (team: string) => void;
}) {
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
        <input value={props.team} onChange={(e) => props.onTeam(e.target.value)} maxLength={60} />
      </label>
    </>
  );
}
