// What the desk says once a wrap-up is saved: the form closes with the call, so without a
// line like this the agent cannot tell the submit went through. Pure, for Node tests.
import type { FollowUp } from '../../../contracts/agent-channel';

export function wrapUpConfirmation(disposition: string, followUp: FollowUp): string {
  const next =
    followUp.kind === 'ticket' ? ` A ticket "${followUp.subject}" was opened.` : followUp.kind === 'callback' ? ` A callback to ${followUp.phone} was scheduled.` : '';
  return `Wrap-up saved (${disposition.replaceAll('_', ' ')}).${next}`;
}
