// A fresh demo install needs people to sign in as, but there is never a default password:
// when the demo dataset is loaded into an empty store and no ADMIN_EMAIL is configured, an
// admin, a lead and an agent are created with random passwords that are printed once.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../../contracts/api';
import type { AppConfig } from '../config/config';
import type { Services } from './services';

export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
}

export async function createDemoAccounts(services: Services, config: AppConfig): Promise<DemoAccount[]> {
  if (!services.seededDemo || config.ADMIN_EMAIL || (await services.users.count()) > 0) return [];
  const people: Array<{ role: Role; email: string; name: string }> = [
    { role: 'admin', email: 'admin@switchboard.local', name: 'Demo Admin' },
    { role: 'lead', email: 'lead@switchboard.local', name: 'Lee Lead' },
    { role: 'agent', email: 'agent@switchboard.local', name: 'Avery Agent' },
  ];
  const created: DemoAccount[] = [];
  for (const person of people) {
    const password = randomBytes(9).toString('base64url');
    await services.users.create({ ...person, password, team: 'demo', skills: ['general', 'orders', 'billing'] });
    created.push({ role: person.role, email: person.email, password });
  }
  return created;
}
