// `npm run call -- --from +15550100001 --say "where is my order" --say "nine four one oh seven"`
// Places a call over /local/media: each --say line is synthesized with flite and streamed
// at real time; --dtmf sends keypad digits. Prints what the AI said and the session id.
import { parseArgs } from 'node:util';
import { createTextToSpeech } from '../../speech/providers';
import { synthesizeWhole } from '../../speech/whole-utterance';
import { ScriptedCaller } from './scripted-caller';

const USAGE = `Usage: npm run call -- --from +15550100001 [--name "Dana Reyes"] --say "text" [--say "text" | --dtmf 0]...
Options:
  --url URL      backend base URL (default http://127.0.0.1:8080, or $SWITCHBOARD_URL)
  --voice NAME   flite voice for the caller: slt, rms, awb or kal16 (default rms)
  --mulaw        send 8 kHz mu-law like a phone line instead of 16 kHz L16`;

async function main(): Promise<number> {
  const { values, tokens } = parseArgs({
    options: {
      from: { type: 'string' },
      name: { type: 'string' },
      say: { type: 'string', multiple: true },
      dtmf: { type: 'string', multiple: true },
      url: { type: 'string' },
      voice: { type: 'string' },
      mulaw: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    tokens: true,
  });
  if (values.help || !values.from) {
    console.error(values.help ? USAGE : `--from is required.\n${USAGE}`);
    return values.help ? 0 : 2;
  }
  if (!/^\+[1-9]\d{7,14}$/.test(values.from)) {
    console.error(`--from must be an E.164 number such as +15550100001, got "${values.from}".`);
    return 2;
  }
  const steps = tokens
    .filter((t) => t.kind === 'option' && (t.name === 'say' || t.name === 'dtmf'))
    .map((t) => ({ kind: (t as { name: string }).name as 'say' | 'dtmf', value: (t as { value?: string }).value ?? '' }));
  const baseUrl = values.url ?? process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:8080';
  const tts = createTextToSpeech({ provider: 'local', voice: values.voice ?? 'rms' });
  const caller = new ScriptedCaller({
    baseUrl,
    from: values.from,
    ...(values.name ? { name: values.name } : {}),
    encoding: values.mulaw ? 'audio/x-mulaw' : 'audio/x-l16',
  });
  try {
    await caller.connect();
  } catch (err) {
    console.error(`Could not reach ${baseUrl}/local/media (${(err as Error).message}). Start the backend with "npm start" or pass --url.`);
    return 1;
  }
  let printed = 0;
  let onHold = false;
  const printCaptions = async () => {
    const { lines, state } = await caller.captions();
    for (const line of lines.filter((l) => l.seq > printed)) {
      console.log(`${line.speaker === 'ai' ? 'AI    ' : 'heard '}: ${line.text}`);
      printed = Math.max(printed, line.seq);
    }
    if ((state === 'queued' || state === 'offered') && !onHold) {
      onHold = true;
      console.log('(on hold for a person: hold music and queue announcements play now)');
    }
  };
  // On hold the line is never quiet (hold music), so waiting for silence gives up after a while.
  const settle = async () => {
    await caller.waitForAiIdle(1200, onHold ? 4000 : 30_000).catch(() => undefined);
    await printCaptions();
  };
  await caller.waitForAiAudio(0, 20_000).catch(() => undefined);
  await settle();
  for (const step of steps) {
    if (caller.closeCode !== undefined) break;
    if (step.kind === 'dtmf') {
      console.log(`caller: [keypad ${step.value}]`);
      for (const digit of step.value) caller.dtmf(digit);
    } else {
      console.log(`caller: ${step.value}`);
      const pcm = await synthesizeWhole(tts, step.value);
      await caller.say(pcm);
    }
    const sent = performance.now();
    await caller.waitForAiAudio(sent, 15_000).catch(() => undefined);
    await settle();
  }
  if (caller.closeCode === undefined) await caller.hangUp();
  await printCaptions().catch(() => undefined);
  console.log(`session: ${caller.sessionId ?? 'unknown'}`);
  if (caller.closeCode !== 1000 && caller.closeCode !== 1005) {
    console.log(`call closed by the server: ${caller.closeCode} ${caller.closeReason}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('call failed:', err);
    process.exit(1);
  },
);
