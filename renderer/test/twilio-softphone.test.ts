// Adapter tests: TwilioSoftphone against a stand-in Device and Call that emit the Voice SDK's
// documented events (registered, incoming, tokenWillExpire, error; accept, disconnect,
// cancel). They check our use of the SDK's API, not Twilio's service.
import { describe, expect, it } from 'vitest';
import { describeSdkError, TwilioSoftphone, type SdkCall, type SdkDevice, type SdkError } from '../src/softphone/twilio-softphone';

/** Just enough of an event emitter (the SDK's classes are EventEmitters). */
class Emitter {
  readonly #listeners = new Map<string, Array<(...args: never[]) => void>>();
  on(event: string, listener: (...args: never[]) => void): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.#listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args);
  }
}

class StandInCall extends Emitter implements SdkCall {
  readonly log: string[] = [];
  accept(): void {
    this.log.push('accept');
    queueMicrotask(() => this.emit('accept'));
  }
  reject(): void {
    this.log.push('reject');
  }
  disconnect(): void {
    this.log.push('disconnect');
    this.emit('disconnect');
  }
  mute(shouldMute = true): void {
    this.log.push(`mute:${shouldMute}`);
  }
  sendDigits(digits: string): void {
    this.log.push(`digits:${digits}`);
  }
}

class StandInDevice extends Emitter implements SdkDevice {
  readonly tokens: string[];
  readonly log: string[] = [];
  failRegister: SdkError | undefined;
  constructor(token: string) {
    super();
    this.tokens = [token];
  }
  async register(): Promise<void> {
    if (this.failRegister) throw this.failRegister;
    this.log.push('register');
    this.emit('registered');
  }
  updateToken(token: string): void {
    this.tokens.push(token);
  }
  destroy(): void {
    this.log.push('destroy');
  }
  readonly dialled: Array<{ params: Record<string, string>; call: StandInCall }> = [];
  async connect(options: { params: Record<string, string> }): Promise<SdkCall> {
    const call = new StandInCall();
    this.dialled.push({ params: options.params, call });
    return call;
  }
  readonly audio = {
    setInputDevice: async (id: string) => void this.log.push(`input:${id}`),
    unsetInputDevice: async () => void this.log.push('input:default'),
    speakerDevices: { set: async (ids: string | string[]) => void this.log.push(`speaker:${String(ids)}`) },
  };
}

function softphone() {
  let n = 0;
  const devices: StandInDevice[] = [];
  const problems: string[] = [];
  const legs: Array<[string, string, string?]> = [];
  const phone = new TwilioSoftphone({
    fetchToken: async () => `token-${++n}`,
    createDevice: async (token) => {
      const d = new StandInDevice(token);
      devices.push(d);
      return d;
    },
    onProblem: (m) => problems.push(m),
    onLegState: (sessionId, state, detail) => legs.push([sessionId, state, detail]),
  });
  return { phone, devices, problems, legs };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TwilioSoftphone (adapter test against a stand-in Device)', () => {
  it('registers with a fetched token and renews it on tokenWillExpire', async () => {
    const { phone, devices } = softphone();
    await phone.start();
    expect(devices[0]!.log).toContain('register');
    expect(devices[0]!.tokens).toEqual(['token-1']);
    devices[0]!.emit('tokenWillExpire');
    await tick();
    expect(devices[0]!.tokens).toEqual(['token-1', 'token-2']);
    phone.stop();
    expect(devices[0]!.log).toContain('destroy');
  });

  it('answers the conference leg for the call being joined, whichever arrives first, and controls it', async () => {
    const { phone, devices, legs } = softphone();
    await phone.start();
    const device = devices[0]!;
    // Joined first, then the leg rings.
    phone.join('s1');
    const first = new StandInCall();
    device.emit('incoming', first);
    await tick();
    expect(first.log).toContain('accept');
    expect(legs).toContainEqual(['s1', 'live', undefined]);
    phone.setMuted('s1', true);
    expect(phone.sendDigits('s1', '12#')).toBe(true);
    expect(first.log).toEqual(['accept', 'mute:true', 'digits:12#']);
    phone.leave('s1');
    expect(first.log).toContain('disconnect');
    // The leg rings before the app says which call it is.
    const second = new StandInCall();
    device.emit('incoming', second);
    expect(second.log).toEqual([]);
    phone.join('s2');
    expect(second.log).toEqual(['accept']);
    // Far end hangs up.
    second.emit('disconnect');
    expect(legs.at(-1)).toEqual(['s2', 'ended', undefined]);
    expect(phone.sendDigits('s2', '1')).toBe(false);
  });

  it('refuses a second unexpected leg and selects audio devices', async () => {
    const { phone, devices } = softphone();
    await phone.start();
    const stray = new StandInCall();
    devices[0]!.emit('incoming', stray);
    devices[0]!.emit('incoming', new StandInCall());
    expect(stray.log).toEqual(['reject']);
    await phone.setMicrophone('mic-2');
    await phone.setSpeaker(null);
    expect(devices[0]!.log).toEqual(['register', 'input:mic-2', 'speaker:default']);
  });

  it('dials out through the TwiML App with the number as the To parameter', async () => {
    const { phone, devices } = softphone();
    await phone.start();
    expect(await phone.dial('+15550100001')).toBe(true);
    expect(devices[0]!.dialled[0]!.params).toEqual({ To: '+15550100001' });
    phone.hangUpDialled();
    expect(devices[0]!.dialled[0]!.call.log).toContain('disconnect');
  });

  it('turns SDK error codes into plain messages', async () => {
    const { phone, devices, problems } = softphone();
    await phone.start();
    devices[0]!.emit('error', { code: 31401, message: 'UserMediaError' });
    devices[0]!.emit('error', { code: 20104, message: 'AccessTokenExpired' });
    devices[0]!.emit('error', { code: 99999, message: 'Odd' });
    expect(problems[0]).toMatch(/microphone is blocked/);
    expect(problems[1]).toMatch(/expired/);
    expect(problems[2]).toMatch(/Twilio error 99999: Odd/);
    expect(describeSdkError({ code: 53405, message: 'ICE' })).toMatch(/IT to allow/);
    const failing = softphone();
    failing.devices.length = 0;
    const p = new TwilioSoftphone({
      fetchToken: async () => 't',
      createDevice: async (token) => Object.assign(new StandInDevice(token), { failRegister: { code: 20101, message: 'AccessTokenInvalid' } }),
      onProblem: (m) => failing.problems.push(m),
      onLegState: () => undefined,
    });
    await p.start();
    expect(failing.problems[0]).toMatch(/refused by Twilio/);
  });
});
