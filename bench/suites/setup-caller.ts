// The caller side of the call-setup benchmark, in its own process so the backend's CPU is
// measured without the caller's: on { call: n } it dials, and reports { greeted: n } when the
// first greeting frame arrives; on { hangUp: n } it hangs that call up and reports { gone: n }.
import { ScriptedCaller } from '../../backend/src/telephony/local/scripted-caller';

const baseUrl = process.argv[2]!;
const callers = new Map<number, ScriptedCaller>();

process.on('message', (m: { call?: number; hangUp?: number; exit?: true }) => {
  void (async () => {
    if (m.call !== undefined) {
      const caller = new ScriptedCaller({ baseUrl, from: `+1555012${String(1000 + m.call).slice(-4)}` });
      callers.set(m.call, caller);
      await caller.connect();
      await caller.waitForAiAudio(0, 20_000);
      process.send?.({ greeted: m.call });
    } else if (m.hangUp !== undefined) {
      await callers.get(m.hangUp)?.hangUp().catch(() => undefined);
      callers.delete(m.hangUp);
      process.send?.({ gone: m.hangUp });
    } else if (m.exit) process.exit(0);
  })().catch((err: unknown) => process.send?.({ failed: String(err) }));
});
process.send?.({ ready: true });
