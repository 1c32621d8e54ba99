// The trained intent classifier: trained once per process from resources/nlu/intents, with
// a confidence that separates what it knows from what it does not.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectIntent, INTENT_CONFIDENCE_THRESHOLD } from '../../src/brain/intents';
import { DEFAULT_NLU_DIR, loadIntentCorpus } from '../../src/nlu/intent-corpus';
import { IntentModel, sharedIntentModel } from '../../src/nlu/intent-model';

describe('the shipped intent corpus', () => {
  it('has at least 25 utterances for every intent', () => {
    for (const d of loadIntentCorpus()) expect(d.utterances.length, d.intent).toBeGreaterThanOrEqual(25);
  });

  it('never contains a line of the held-out test splits', () => {
    const norm = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    const training = new Set(loadIntentCorpus().flatMap((d) => d.utterances.map(norm)));
    for (const file of ['intents.yaml', 'intents-untuned.yaml']) {
      const split = parse(readFileSync(path.join(DEFAULT_NLU_DIR, 'test', file), 'utf8')) as Record<string, string[]>;
      for (const line of Object.values(split).flat()) expect(training.has(norm(line)), `${file}: "${line}"`).toBe(false);
    }
  });

  it('is trained once per process and shared', () => {
    expect(sharedIntentModel()).toBe(sharedIntentModel());
  });
});

describe('detectIntent', () => {
  it.each([
    ['Hello, I am calling about my kayak order.', 'order_status'],
    ['my kayak still hasn’t shown up', 'order_status'],
    ["when's my stuff getting here", 'order_status'],
    ['WHERE IS MY ORDER', 'order_status'],
    ['wher is my ordr', 'order_status'],
    ["I don't want a robot", 'human'],
    ['What time do your stores open on Saturday?', 'question'],
    ['Can you read me my orders?', 'list_orders'],
    ['No thanks, bye', 'goodbye'],
    ['yes please', 'affirm'],
  ])('%j → %s', (text, intent) => {
    const found = detectIntent(text);
    expect(found.name).toBe(intent);
    expect(found.confidence).toBeGreaterThanOrEqual(INTENT_CONFIDENCE_THRESHOLD);
  });

  it.each([[''], ['😡😡😡'], ['asdf qwerty zxcv'], ['¿Dónde está mi pedido?'], ['x'.repeat(10_000)]])(
    'gives no confident request for %j',
    (text) => {
      const found = detectIntent(text);
      expect(found.name).toBe('question');
      expect(found.accountSpecific).toBe(false);
    },
  );

  it('never hangs up on a statement the network is sure is a goodbye, for want of a goodbye word', () => {
    // "i'm" opens "i'm done" in the goodbye corpus; "college" and "gold member" are no goodbye.
    for (const text of ["i'm in college", "i'm a gold member"]) expect(detectIntent(text).name, text).not.toBe('goodbye');
    for (const text of ['bye', 'ok that is everything, bye now', 'talk to you later']) expect(detectIntent(text).name, text).toBe('goodbye');
    const model = sharedIntentModel();
    expect(model.classify('bye').evidence).toBeGreaterThan(model.classify("i'm in college").evidence);
  });

  it('reads the request after an opening "ok so", and "ok" alone as an acknowledgement', () => {
    expect(detectIntent('ok so how many points do i need before i get money off').name).toBe('question');
    expect(detectIntent("ok and the turntable, when's that coming").name).toBe('order_status');
    expect(detectIntent('ok').name).toBe('affirm');
    expect(detectIntent('yes please').name).toBe('affirm');
  });

  it('marks account requests as needing verification', () => {
    expect(detectIntent('where is my package').accountSpecific).toBe(true);
    expect(detectIntent('what is the address on file').accountSpecific).toBe(true);
    expect(detectIntent('do you ship to canada').accountSpecific).toBe(false);
  });
});

describe('a team’s own intent files', () => {
  function corpusDir(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'nlu-'));
    mkdirSync(path.join(dir, 'intents'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'intents', name), text);
    return dir;
  }
  const lines = (prefix: string) => Array.from({ length: 12 }, (_, i) => `  - ${prefix} ${i}`).join('\n');

  it('trains a model on them', () => {
    const dir = corpusDir({
      'a.yaml': `intent: store_pickup\nqueue: orders\naccountSpecific: false\nutterances:\n${lines('can i pick it up at the store')}\n`,
      'b.yaml': `intent: greeting\nqueue: general\naccountSpecific: false\nutterances:\n${lines('hello there')}\n`,
    });
    const model = IntentModel.train(loadIntentCorpus(dir));
    expect(model.classify('could I pick up at your store').intent).toBe('store_pickup');
  });

  it('rejects a file with a clear message', () => {
    const dir = corpusDir({ 'bad.yaml': 'intent: Bad Name\nqueue: orders\naccountSpecific: false\nutterances: [a]\n' });
    expect(() => loadIntentCorpus(dir)).toThrow(/bad\.yaml: intent: use lower_snake_case/);
  });
});
