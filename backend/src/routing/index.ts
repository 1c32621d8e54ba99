// Routing's public surface: the Router, its events, presence and the clock it runs on.
export { Router } from './router';
export type {
  AcceptResult,
  AgentRegistration,
  AgentView,
  CallView,
  DeclineResult,
  EndCallResult,
  EnqueueRequest,
  OfferAnswerFailure,
  PresenceResult,
  QueuePosition,
  QueueSnapshot,
  RouterOptions,
  RoutingRestore,
  RoutingSnapshot,
  TransferResult,
} from './router';
export { AgentPresence, agentPresences, isStaffed } from './presence';
export { FakeClock, systemClock, type RoutingClock } from './clock';
export {
  isSessionRoutingEvent,
  sessionRoutingEventTypes,
  type PresenceCause,
  type RemoveReason,
  type RevokeReason,
  type RoutingEvent,
  type RoutingEventType,
  type SessionRoutingEvent,
  type TransferTarget,
} from './events';
