import { describe, expect, it } from 'vitest';
import { monitorAccess, receivesAlert, seesLiveCall } from '../../src/supervision/monitor-access';

const lead = { id: 'lea', role: 'lead', team: 'north' };
const admin = { id: 'ada', role: 'admin', team: 'hq' };
const agent = { id: 'ana', role: 'agent', team: 'north' };
const onNorth = { stage: 'agent' as const, agentId: 'ana', agentTeam: 'north' };
const onSouth = { stage: 'agent' as const, agentId: 'sam', agentTeam: 'south' };

describe('monitorAccess', () => {
  it('lets a lead monitor their own team, and an admin any team', () => {
    expect(monitorAccess(lead, onNorth)).toEqual({ ok: true });
    expect(monitorAccess(admin, onNorth, 'barge')).toEqual({ ok: true });
    expect(monitorAccess(admin, onSouth, 'whisper')).toEqual({ ok: true });
  });

  it('refuses a lead outside their team, naming both teams and who can help', () => {
    const d = monitorAccess(lead, onSouth, 'whisper');
    expect(d).toMatchObject({ ok: false, code: 'other_team' });
    expect(!d.ok && d.message).toMatch(/own team \(north\).*south.*Ask an admin/);
  });

  it('refuses agents always, with what to do instead', () => {
    const d = monitorAccess(agent, onNorth);
    expect(d).toMatchObject({ ok: false, code: 'forbidden' });
    expect(!d.ok && d.message).toMatch(/Raise your hand/);
  });

  it('refuses an ended call and a call no agent has yet, saying what to do', () => {
    const ended = monitorAccess(lead, { stage: 'gone' }, 'barge');
    expect(ended).toMatchObject({ ok: false, code: 'call_ended' });
    expect(!ended.ok && ended.message).toMatch(/barge.*Pick a live call/);
    const ai = monitorAccess(admin, { stage: 'ai' }, 'whisper');
    expect(ai).toMatchObject({ ok: false, code: 'no_agent' });
    expect(!ai.ok && ai.message).toMatch(/with the AI.*once an agent accepts/);
    expect(monitorAccess(admin, { stage: 'queue' })).toMatchObject({ ok: false, code: 'no_agent' });
  });

  it('checks the agent role before anything else, and a lead without a team monitors no one', () => {
    expect(monitorAccess(agent, { stage: 'gone' })).toMatchObject({ code: 'forbidden' });
    expect(monitorAccess({ id: 'x', role: 'lead' }, { stage: 'agent', agentId: 'a', agentTeam: undefined })).toMatchObject({ code: 'other_team' });
    expect(monitorAccess({ ...lead, id: 'ana' }, onNorth)).toMatchObject({ code: 'own_call' });
  });
});

describe('who receives alerts and sees live calls', () => {
  it('scopes alerts to the team, every lead while no agent has the call, admins always, agents never', () => {
    expect(receivesAlert(lead, 'north')).toBe(true);
    expect(receivesAlert(lead, 'south')).toBe(false);
    expect(receivesAlert(lead, undefined)).toBe(true);
    expect(receivesAlert(admin, 'south')).toBe(true);
    expect(receivesAlert(agent, 'north')).toBe(false);
    expect(seesLiveCall(lead, 'north')).toBe(true);
    expect(seesLiveCall(lead, 'south')).toBe(false);
    expect(seesLiveCall(admin, 'south')).toBe(true);
    expect(seesLiveCall(agent, 'north')).toBe(false);
  });
});
