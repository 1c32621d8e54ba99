// Rules added after the fifth round of outside testers, who made whole calls: a birth date
// with a one-digit day is not a zip, goodbyes in few words end the call, one-word questions
// and small talk, "you're a robot, right?", fraud in the caller's words, a cancellation asked
// about rather than asked for, and follow-ups that point back ("how long would that take",
// "the other one", "when was that again").
import { describe, expect, it } from 'vitest';
import { detectIntent } from '../../src/brain/intents';
import { extractDate, extractZip } from '../../src/brain/slots';
import { loadArticlesFromDir } from '../../src/knowledge/article-files';
import { KNOWLEDGE_CONFIDENCE_THRESHOLD, KnowledgeBase } from '../../src/knowledge/knowledge-base';
import { DEFAULT_POLICY_TOPICS, matchPolicyTopic } from '../../src/policy/policy';
import { call, KAYAKS, order } from '../support/local-brain-call';

describe('verification', () => {
  it('reads "march 8 1982" as a birth date, not the zip 81982; a typed zip beside a date still counts', () => {
    for (const text of ['march 8 1982', 'oh wait try my birthday, march 8 1982', 'may 8 1982']) {
      expect(extractZip(text), text).toBeUndefined();
      expect(extractDate(text), text).toMatch(/^1982-0[35]-08$/);
    }
    expect(extractZip('94107, born march 8 1982')).toBe('94107');
    expect(extractZip('nine four one oh seven')).toBe('94107');
  });
});

describe('what a short turn means', () => {
  it('ends the call on a goodbye in few or half-known words, never on a question', () => {
    for (const text of ['k thx bye', 'ok cool bye', 'great thats all, have a good one', 'ok appreciate it, bye bye']) {
      expect(detectIntent(text).name, text).toBe('goodbye');
    }
    expect(detectIntent('before i say bye, how do i pair my earbuds with a new phone').name).not.toBe('goodbye');
  });

  it('takes one word asked as a question, and small talk as a greeting', async () => {
    expect(detectIntent('hours?').name).toBe('question');
    expect(detectIntent('refund?').name).toBe('question');
    expect(detectIntent('ok?').name).toBe('affirm');
    expect(detectIntent('hi! how are you today?').name).toBe('greeting');
    const [greeting, hours] = await call([], false, 'hi! how are you today?', 'hours?');
    expect(greeting).toMatch(/doing well/);
    expect(hours).toMatch(/6 am/);
  });

  it('answers "you\'re a robot, right?" instead of transferring', async () => {
    const [reply] = await call([], false, "lol you're a robot right");
    expect(reply).toMatch(/automated assistant/);
  });
});

describe('sensitive topics in the caller\'s words', () => {
  it('hears a stolen card and a charge never made as fraud', () => {
    expect(matchPolicyTopic("there's a charge on my card from you guys that i never made, i think someone stole my card", DEFAULT_POLICY_TOPICS)).toBe('fraud');
  });

  it('hears a question about a cancellation already made as no request to cancel', () => {
    expect(matchPolicyTopic('i cancelled my boom speaker, did that go thru', DEFAULT_POLICY_TOPICS)).toBeUndefined();
    expect(matchPolicyTopic('so when do i get my money back for a cancelled order', DEFAULT_POLICY_TOPICS)).toBeUndefined();
    expect(matchPolicyTopic('i want to cancel my order', DEFAULT_POLICY_TOPICS)).toBe('cancellation');
  });
});

describe('follow-ups that point back', () => {
  it('reads "how long would that take" with the question it follows', async () => {
    const [, second] = await call([], false, 'do you ship to the uk', 'how long would that take');
    expect(second).toMatch(/business days/);
  });

  it('answers "the other one" with the caller\'s other order, or asks which of several', async () => {
    const two = [order('O-1', 'Headset', 'shipped', '2026-11-25', 89.5), order('O-2', 'Travel Case', 'processing', '2026-12-02', 19)];
    const [, other] = await call(two, true, 'where is my headset', 'what about the other one');
    expect(other).toMatch(/Travel Case/);
    const [, which] = await call(KAYAKS, true, 'where is my touring kayak', 'what about the other one');
    expect(which).toMatch(/Which one/);
  });

  it('gives every order to a caller who asks about "my orders"', async () => {
    const [reply] = await call(KAYAKS, true, 'hi i wanted to check on my orders');
    expect(reply).toMatch(/Touring Kayak/);
    expect(reply).toMatch(/Spray Skirt/);
    expect(reply).toMatch(/Paddle Set/);
  });

  it('repeats the day for "when was that again"', async () => {
    const [, again] = await call(KAYAKS, true, 'did my paddle set arrive', 'when was that again');
    expect(again).toMatch(/October 30/);
  });

  it('does not let a filler word hide the question from the knowledge base', async () => {
    const kb = KnowledgeBase.fromArticles(await loadArticlesFromDir());
    const [best] = kb.search('hm so can i still return them', 1);
    expect(best?.article.id).toBe('returns');
    expect(best!.confidence).toBeGreaterThanOrEqual(KNOWLEDGE_CONFIDENCE_THRESHOLD);
  });
});
