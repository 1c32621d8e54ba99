// Who may monitor which call, as one pure rule: admins any live agent call, leads only the
// calls their own team's agents hold, agents never. A call must have an agent on it (the AI
// and the queue have no conversation to coach yet) and must still be live.
import type { MonitorMode } from '../../../contracts/supervision';

export interface Monitoring {
  id: string;
  role: 'admin' | 'lead' | 'agent' | string;
  team?: string | undefined;
}

/** Where the call is, as the desk knows it. */
export type MonitoredCall =
  | { stage: 'gone' }
  | { stage: 'ai' | 'queue' }
  | { stage: 'agent'; agentId: string; agentTeam: string | undefined };

export type MonitorDecision = { ok: true } | { ok: false; code: 'forbidden' | 'other_team' | 'call_ended' | 'no_agent' | 'own_call'; message: string };

export function monitorAccess(viewer: Monitoring, call: MonitoredCall, mode: MonitorMode = 'listen'): MonitorDecision {
  if (viewer.role !== 'admin' && viewer.role !== 'lead') {
    return { ok: false, code: 'forbidden', message: 'Only team leads and admins can monitor calls. Raise your hand on your call to ask a lead for help.' };
  }
  if (call.stage === 'gone') {
    return { ok: false, code: 'call_ended', message: `This call has ended, so there is nothing to ${mode} to. Pick a live call from the wallboard or the team view.` };
  }
  if (call.stage !== 'agent') {
    return {
      ok: false,
      code: 'no_agent',
      message: `No agent is on this call yet (it is ${call.stage === 'ai' ? 'with the AI' : 'waiting in the queue'}). You can ${mode} once an agent accepts it; its transcript is in Sessions.`,
    };
  }
  if (call.agentId === viewer.id) {
    return { ok: false, code: 'own_call', message: 'This is your own call: you are already on it.' };
  }
  if (viewer.role === 'lead' && (!viewer.team || viewer.team !== call.agentTeam)) {
    return {
      ok: false,
      code: 'other_team',
      message: `Leads can monitor only calls taken by their own team (${viewer.team ?? 'none'}); this agent is in ${call.agentTeam ?? 'no team'}. Ask an admin or that team's lead.`,
    };
  }
  return { ok: true };
}

/** Who gets an alert about a call: admins always; leads of the agent's team, or every lead while no agent has the call. */
export function receivesAlert(viewer: Monitoring, agentTeam: string | undefined): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'lead') return false;
  return agentTeam === undefined || viewer.team === agentTeam;
}

/** Whether a lead sees a live agent call in their list (the same rule as monitoring it). */
export function seesLiveCall(viewer: Monitoring, agentTeam: string | undefined): boolean {
  return viewer.role === 'admin' || (viewer.role === 'lead' && viewer.team !== undefined && viewer.team === agentTeam);
}
