// The caller page: places a call over /local/media (Twilio Media Streams framing, 16 kHz
// L16), streams the microphone, plays the AI, echoes marks as audio plays, flushes on
// clear, sends keypad digits as DTMF, shows captions of the conversation and where the call
// stands (assistant, queue with position and wait, the agent's first name, ended).
// The same script drives /call/wait, the page where a caller waits for an agent's outbound call.
const $ = (id) => document.getElementById(id);
const statusLine = $('status');
const captions = $('captions');
let call = null;

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
for (const key of KEYS) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = key;
  b.setAttribute('aria-label', `Key ${key}`);
  b.dataset.key = key;
  b.disabled = true;
  b.addEventListener('click', () => call && call.dtmf(key));
  $('keypad').append(b);
}

function setStatus(text) {
  statusLine.textContent = text;
}

function minutes(ms) {
  const m = Math.max(1, Math.round(ms / 60_000));
  return m === 1 ? 'about 1 minute' : `about ${m} minutes`;
}

/** The status line for the server's view of the call (see caller-status.ts). */
function describeStatus(status) {
  if (status.phase === 'queued') {
    const where = status.position ? ` You are number ${status.position} in line` : '';
    const wait = status.estimatedWaitMs ? `${where ? ',' : ' Estimated wait:'} ${minutes(status.estimatedWaitMs)}` : '';
    return `In the queue — waiting for a person.${where}${wait}${where || wait ? '.' : ''}`;
  }
  if (status.phase === 'agent') return `Connected to ${status.agentFirstName}.`;
  if (status.phase === 'ended') return 'Call ended.';
  return 'Connected — talking to the assistant.';
}

function setInCall(inCall) {
  if ($('call')) $('call').disabled = inCall;
  $('hangup').disabled = !inCall;
  for (const b of $('keypad').querySelectorAll('button')) b.disabled = !inCall;
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64L16(b64) {
  const bin = atob(b64);
  const out = new Float32Array(bin.length >> 1);
  for (let i = 0; i < out.length; i++) {
    let v = bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8);
    if (v >= 0x8000) v -= 0x10000;
    out[i] = v / 0x8000;
  }
  return out;
}

async function placeCall(from, name, outboundCallId) {
  const ctx = new AudioContext({ sampleRate: 16000 });
  await ctx.audioWorklet.addModule('/caller-audio-worklet.js');
  const mic = await navigator.mediaDevices.getUserMedia({
    // No automatic gain: after a pause it ramps up and clips the next words, which the recognizer then mishears.
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: false },
  });
  const node = new AudioWorkletNode(ctx, 'caller-audio', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
  ctx.createMediaStreamSource(mic).connect(node);
  node.connect(ctx.destination);
  await ctx.resume();

  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/local/media`);
  const streamSid = `MZ${crypto.randomUUID().replaceAll('-', '')}`;
  let seq = 0;
  let chunk = 0;
  let sessionId = null;
  let lastCaption = 0;
  const send = (frame) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ ...frame, sequenceNumber: String(++seq) }));

  let polling = false;
  const refreshCaptions = async () => {
    if (!sessionId || polling) return;
    polling = true;
    try {
      await pollCaptions();
    } finally {
      polling = false;
    }
  };
  const pollCaptions = async () => {
    const res = await fetch(`/local/calls/${sessionId}/captions?after=${lastCaption}`).catch(() => null);
    if (!res || !res.ok) return;
    const body = await res.json();
    for (const line of body.lines) {
      lastCaption = Math.max(lastCaption, line.seq);
      const li = document.createElement('li');
      li.className = line.speaker;
      li.textContent = line.text;
      captions.append(li);
      li.scrollIntoView({ block: 'nearest' });
    }
    // A late answer must not overwrite "Call ended" once the line is closed.
    if (body.status && ws.readyState === WebSocket.OPEN) setStatus(describeStatus(body.status));
  };
  // Marks only come while the AI speaks; in the queue and with an agent the page asks on its own.
  const ticker = setInterval(() => void refreshCaptions(), 1500);

  node.port.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'capture') {
      send({
        event: 'media',
        streamSid,
        media: { track: 'inbound', chunk: String(++chunk), timestamp: String(chunk * 20), payload: toBase64(new Uint8Array(m.pcm.buffer)) },
      });
    } else if (m.type === 'mark') {
      send({ event: 'mark', streamSid, mark: { name: m.name } });
      const id = m.name.split(':')[0];
      if (id && id !== 'call') sessionId = id;
      void refreshCaptions();
    }
  };

  ws.onopen = () => {
    send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    send({
      event: 'start',
      streamSid,
      start: {
        streamSid,
        accountSid: 'local',
        callSid: `CA${crypto.randomUUID().replaceAll('-', '')}`,
        tracks: ['inbound'],
        customParameters: { from, ...(name ? { name } : {}), ...(outboundCallId ? { outboundCallId } : {}) },
        mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 },
      },
    });
    setStatus(outboundCallId ? 'Connected — talking to an agent.' : 'Connected — talking to the assistant.');
    setInCall(true);
  };
  ws.onmessage = (e) => {
    const frame = JSON.parse(e.data);
    if (frame.event === 'media') {
      const pcm = fromBase64L16(frame.media.payload);
      node.port.postMessage({ type: 'play', pcm }, [pcm.buffer]);
    } else if (frame.event === 'mark') {
      node.port.postMessage({ type: 'mark', name: frame.mark.name });
    } else if (frame.event === 'clear') {
      node.port.postMessage({ type: 'clear' });
    }
  };
  ws.onclose = (e) => {
    clearInterval(ticker);
    setStatus(e.code === 1000 || e.code === 1005 ? 'Call ended.' : `Call ended: ${e.reason || 'connection lost'} (code ${e.code}).`);
    setInCall(false);
    void refreshCaptions();
    mic.getTracks().forEach((t) => t.stop());
    void ctx.close();
    call = null;
  };
  ws.onerror = () => setStatus('Could not reach the call server. Check that it is running and try again.');

  return {
    dtmf: (digit) => send({ event: 'dtmf', streamSid, dtmf: { track: 'inbound_track', digit } }),
    hangUp: () => {
      send({ event: 'stop', streamSid, stop: { accountSid: 'local', callSid: streamSid } });
      ws.close(1000, 'caller hung up');
    },
    get sessionId() {
      return sessionId;
    },
  };
}

$('dial').addEventListener('submit', async (e) => {
  e.preventDefault();
  // The waiting page has no Call button: Enter there must not place a call.
  if (call || !$('call')) return;
  const from = $('phone').value.trim();
  if (!/^\+[1-9]\d{7,14}$/.test(from)) {
    setStatus('Enter your phone number in international format, for example +15550100001.');
    return;
  }
  setStatus('Calling…');
  try {
    call = await placeCall(from, $('name').value.trim());
    window.__switchboardCall = call;
  } catch (err) {
    setStatus(`Could not start the call: ${err.message}. Allow microphone access and try again.`);
  }
});
$('hangup').addEventListener('click', () => call && call.hangUp());

// Waiting for calls (on /call/wait only): the page registers its number; an agent's outbound call rings here.
let line = null;
let ringingCallId = null;
function showIncoming(callId, from) {
  ringingCallId = callId;
  $('incoming-from').textContent = `${from} is calling you.`;
  $('incoming').hidden = callId === null;
  if (callId) $('answer').focus();
}
$('wait')?.addEventListener('click', () => {
  if (line) {
    line.close(1000, 'stopped waiting');
    return;
  }
  const number = $('phone').value.trim();
  if (!/^\+[1-9]\d{7,14}$/.test(number)) {
    setStatus('Enter your phone number in international format first, for example +15550100001.');
    return;
  }
  const code = $('line-code').value.trim();
  if (!code) {
    setStatus('Enter the line code the agent gave you first; it lets this page wait for calls at your number.');
    return;
  }
  line = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/local/phone?number=${encodeURIComponent(number)}&code=${encodeURIComponent(code)}`);
  line.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === 'registered') setStatus(`Waiting for calls at ${m.number}.`);
    else if (m.type === 'incoming') showIncoming(m.callId, m.from);
    else if (m.type === 'cancelled' || m.type === 'answered-elsewhere') showIncoming(null, '');
  };
  line.onclose = (e) => {
    line = null;
    $('wait').setAttribute('aria-pressed', 'false');
    $('wait').textContent = 'Wait for calls';
    showIncoming(null, '');
    if (!call) setStatus(e.code === 1000 || e.code === 1005 ? 'Not waiting for calls.' : `Stopped waiting: ${e.reason || 'connection lost'}.`);
  };
  $('wait').setAttribute('aria-pressed', 'true');
  $('wait').textContent = 'Stop waiting';
});
$('answer')?.addEventListener('click', async () => {
  const callId = ringingCallId;
  if (!callId || call) return;
  showIncoming(null, '');
  setStatus('Answering…');
  try {
    call = await placeCall($('phone').value.trim(), $('name').value.trim(), callId);
    window.__switchboardCall = call;
  } catch (err) {
    setStatus(`Could not answer: ${err.message}. Allow microphone access and try again.`);
  }
});
$('decline')?.addEventListener('click', () => {
  if (line && ringingCallId) line.send(JSON.stringify({ type: 'decline', callId: ringingCallId }));
  showIncoming(null, '');
});
