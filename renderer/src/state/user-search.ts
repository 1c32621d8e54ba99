// The users screen's search and team list: pure, for Node tests.
import type { UserView } from '../../../contracts/agent-api';

/** Users whose name, email, team or role contains every word of the query (case-insensitive). */
export function searchUsers(users: readonly UserView[], query: string): UserView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...users];
  return users.filter((u) => {
    const text = `${u.name} ${u.email} ${u.team} ${u.role}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The teams in use, sorted, for the team pickers (a new team is added by naming it once). */
export function teamsInUse(users: readonly UserView[]): string[] {
  return [...new Set(users.map((u) => u.team).filter(Boolean))].sort((a, b) => a.localeCompare(b));
}
