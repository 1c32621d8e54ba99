// The users screen: search across name, email, team and role; teams offered from those in use.
import { describe, expect, it } from 'vitest';
import type { UserView } from '../../contracts/agent-api';
import { searchUsers, teamsInUse } from '../src/state/user-search';

const user = (name: string, email: string, team: string, role: UserView['role'] = 'agent'): UserView =>
  ({ id: email, name, email, team, role, skills: ['general'], active: true }) as UserView;
const people = [user('Ana Agent', 'ana@x.test', 'north'), user('Ben Baker', 'ben@x.test', 'south'), user('Lea Lead', 'lea@x.test', 'north', 'lead')];

describe('users screen', () => {
  it('finds by any part of name, email, team or role, every word must match', () => {
    expect(searchUsers(people, 'BEN').map((u) => u.name)).toEqual(['Ben Baker']);
    expect(searchUsers(people, 'north lead').map((u) => u.name)).toEqual(['Lea Lead']);
    expect(searchUsers(people, '  ')).toHaveLength(3);
    expect(searchUsers(people, 'nobody')).toEqual([]);
  });

  it('offers each team in use once, sorted', () => {
    expect(teamsInUse(people)).toEqual(['north', 'south']);
  });
});
