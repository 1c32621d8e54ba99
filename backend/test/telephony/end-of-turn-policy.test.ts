// Adaptive end of turn: complete answers end after a short pause, trailing words and numbers
// still being said wait longer, whatever was asked.
import { describe, expect, it } from 'vitest';
import { expectedAnswerFor } from '../../src/conversation/expected-answer';
import { endOfTurnSilenceFor } from '../../src/telephony/end-of-turn-policy';

const bounds = { minMs: 250, defaultMs: 500, maxMs: 1200 };

describe('end-of-turn silence from the words so far', () => {
  it('is short after a whole answer to what was asked', () => {
    expect(endOfTurnSilenceFor('nine four one oh seven', 'zip', bounds)).toBe(250);
    expect(endOfTurnSilenceFor('my zip is six oh six one four', 'zip-or-date', bounds)).toBe(250);
    expect(endOfTurnSilenceFor('april twelfth nineteen eighty five', 'date', bounds)).toBe(250);
    expect(endOfTurnSilenceFor('april twelfth nineteen eighty five', 'zip-or-date', bounds)).toBe(250);
    expect(endOfTurnSilenceFor('yes please', 'yes-no', bounds)).toBe(250);
    expect(endOfTurnSilenceFor("no that's all", 'yes-no', bounds)).toBe(250);
    expect(endOfTurnSilenceFor('hello', 'open', bounds)).toBe(250);
    expect(endOfTurnSilenceFor('where is my order', 'open', bounds)).toBe(250);
  });

  it('never cuts a caller off mid-number', () => {
    expect(endOfTurnSilenceFor('nine four one', 'zip', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('nine four one oh', 'zip-or-date', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('april twelfth nineteen', 'date', bounds)).toBe(1200);
    // "nineteen eighty" is already a valid year; the caller may still be saying "…five".
    expect(endOfTurnSilenceFor('april twelfth', 'date', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('order one zero', 'order-id', bounds)).toBe(1200);
    // Order ids run 3 to 8 digits: after four the configured silence decides, not the short one.
    expect(endOfTurnSilenceFor('order one zero zero four', 'order-id', bounds)).toBe(500);
    expect(endOfTurnSilenceFor('my phone number is five five five', 'open', bounds)).toBe(1200);
  });

  it('waits longer when the caller trails off', () => {
    expect(endOfTurnSilenceFor('my order is', 'open', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('i want to return the headset and', 'open', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('um', 'open', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('yes and', 'yes-no', bounds)).toBe(1200);
  });

  it('keeps the configured silence when the words say nothing either way', () => {
    expect(endOfTurnSilenceFor('', 'zip', bounds)).toBe(500);
    expect(endOfTurnSilenceFor('i bought a headset last week', 'open', bounds)).toBe(500);
    // An answer that left the grammar's ground is open speech.
    expect(endOfTurnSilenceFor("i don't know my zip code", 'zip', bounds)).toBe(1200);
    expect(endOfTurnSilenceFor('i lost the paper it was on', 'zip', bounds)).toBe(1200);
  });
});

describe('what the AI asked for', () => {
  it('reads the expected answer from the AI line', () => {
    expect(expectedAnswerFor('Before I can look at your account, I need to verify your identity. Please tell me the zip code or the date of birth on your account.')).toBe('zip-or-date');
    expect(expectedAnswerFor("Sorry, that zip code doesn't match our records. Please try again.")).toBe('zip');
    expect(expectedAnswerFor('What is your date of birth?')).toBe('date');
    expect(expectedAnswerFor("I couldn't find order O-1099 on your account. Could you check the order number?")).toBe('order-id');
    expect(expectedAnswerFor('Your order shipped. Is there anything else I can help you with?')).toBe('yes-no');
    expect(expectedAnswerFor("Thanks for calling. I'm an automated assistant. How can I help you today?")).toBe('open');
    expect(expectedAnswerFor('Returns are accepted within 30 days.')).toBe('open');
  });
});
