import { describe, expect, it } from 'vitest';
import {
  CARD_ENTRY_INTERDIGIT_MS,
  keypadPauseMs,
  luhnValid,
  redact,
  redactCallerInput,
  redactDeep,
  redactPartial,
  redactText,
  withoutMaskedNumbers,
} from '../../src/policy/redaction';
import { redactLogLine } from '../../src/policy/redacting-logger';

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const spoken = (digits: string) => [...digits].map((d) => WORDS[Number(d)]).join(' ');

/** Appends the Luhn check digit to a body, for cards of any length. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('luhnValid', () => {
  it('accepts the standard test cards and rejects a changed digit', () => {
    for (const card of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4222222222222']) {
      expect(luhnValid(card)).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41111x1111111111')).toBe(false);
  });
});

describe('redactText: cards', () => {
  it('masks a typed card, keeping the last four', () => {
    expect(redact('my card is 4111111111111111 thanks')).toBe('my card is ************1111 thanks');
    expect(redactText('4111111111111111').found).toEqual(['card']);
  });

  it('masks grouped cards (spaces, dashes, Amex 4-6-5)', () => {
    expect(redact('4111 1111 1111 1111')).toBe('************1111');
    expect(redact('4111-1111-1111-1111 exp 12/29')).toBe('************1111 exp 12/29');
    expect(redact('amex 3782 822463 10005')).toBe('amex ***********0005');
    expect(redact('5555 5555 5555 4444, zip 94107')).toBe('************4444, zip 94107');
  });

  it('masks 13 and 19 digit cards, not 12 or 20', () => {
    const thirteen = '4222222222222';
    const nineteen = withCheckDigit('622222222222222222');
    expect(redact(thirteen)).toBe('*********2222');
    expect(redact(nineteen)).toBe(`${'*'.repeat(15)}${nineteen.slice(-4)}`);
    const twelve = withCheckDigit('41111111111');
    expect(redact(twelve)).toBe(twelve);
    const twenty = withCheckDigit('4111111111111111111');
    expect(redact(twenty)).toBe(twenty);
  });

  it('masks cards spoken one digit at a time, with recognizer homophones and fillers', () => {
    expect(redact(`it is ${spoken('4111111111111111')} okay`)).toBe('it is ************1111 okay');
    expect(redact('for one one one, won one one one, uh, one one one one one one one one')).toBe('************1111');
    expect(redact('five five five five double five five five triple five five four four four four')).toBe('************4444');
    expect(redact('three seven eight two eight two two four six three one oh oh oh five')).toBe('***********0005');
  });

  it('masks a card read straight on into its expiry date or security code, keeping those', () => {
    expect(redact(`${spoken('4111111111111111')} one two two nine`)).toBe('************1111 one two two nine');
    expect(redact(`${spoken('378282246310005')} one two three four`)).toBe('***********0005 one two three four');
    expect(redact(`${spoken('4111111111111112')} one two two nine`)).toBe(`${spoken('4111111111111112')} one two two nine`);
  });

  it('masks typed digits separated one by one', () => {
    expect(redact('4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1')).toBe('************1111');
  });

  it('masks every card in a text and is idempotent', () => {
    const once = redact('old 4111111111111111 new 5555-5555-5555-4444');
    expect(once).toBe('old ************1111 new ************4444');
    expect(redact(once)).toBe(once);
  });
});

describe('redactText: SSNs', () => {
  it('masks printed SSNs as ***-**-6789', () => {
    expect(redact('ssn 123-45-6789.')).toBe('ssn ***-**-6789.');
    expect(redact('it is 123 45 6789')).toBe('it is ***-**-6789');
    expect(redactText('123-45-6789').found).toEqual(['ssn']);
  });

  it('masks nine digits said or typed as a social security number', () => {
    expect(redact('my social is 123456789')).toBe('my social is ***-**-6789');
    expect(redact(`my social security number is ${spoken('123456789')}`)).toBe('my social security number is ***-**-6789');
    expect(redact(spoken('123456789'))).toBe('***-**-6789');
    expect(redact('123456789')).toBe('***-**-6789');
    expect(redact('SS# 123456789, thanks')).toBe('SS# ***-**-6789, thanks');
  });

  it('leaves numbers that cannot be SSNs', () => {
    expect(redact('000-12-3456')).toBe('000-12-3456');
    expect(redact('my social is 987654321')).toBe('my social is 987654321');
    expect(redact('order 123456789 shipped')).toBe('order 123456789 shipped');
  });
});

describe('redactText: false positives', () => {
  it.each([
    ['order ids', 'Where is order O-1001? And ORD-20240115-77?'],
    ['glued identifiers', 'ref AB4111111111111111 and 4111111111111111XY'],
    ['phone numbers', 'call me on +1 555 010 0001 or (555) 010-0001 or +15550100001'],
    ['spoken phone', `my number is ${spoken('5550100001')}`],
    ['zip codes', 'my zip is 94107, or nine four one oh seven'],
    ['zip plus four', 'my zip is 94107-1234'],
    ['dates', 'born 1980-01-15, that is 01/15/1980, or January fifteenth nineteen eighty'],
    ['16 digits failing Luhn', 'the code is 4111111111111112 or 1234 5678 9012 3456'],
    ['uuid', 'session 550e8400-e29b-41d4-a716-446655440000 at 2026-11-29T18:14:56.123Z'],
    ['ordinary words', 'I want to pay for one of the two orders I made for my son too'],
  ])('leaves %s alone', (_label, text) => {
    expect(redact(text)).toBe(text);
  });

  it('does not join a typed phone number and zip into a card, even when they pass Luhn', () => {
    const phone = '5550100001';
    let zip = 10000;
    while (!luhnValid(`${phone}${zip}`)) zip++;
    expect(redact(`${phone} ${zip}`)).toBe(`${phone} ${zip}`);
    expect(redact(`555-010-0001 ${zip}`)).toBe(`555-010-0001 ${zip}`);
  });
});

describe('redactDeep', () => {
  it('masks every string in nested payloads and copies only what changed', () => {
    const untouched = { a: 'hello', b: [1, 'two'], c: { d: null } };
    expect(redactDeep(untouched)).toBe(untouched);
    const payload = { turn: 1, args: { text: 'card 4111111111111111' }, list: ['x', '123-45-6789'], n: 5 };
    const out = redactDeep(payload);
    expect(out).toEqual({ turn: 1, args: { text: 'card ************1111' }, list: ['x', '***-**-6789'], n: 5 });
    expect(payload.args.text).toBe('card 4111111111111111');
  });

  it('leaves class instances such as errors to their own printers', () => {
    const err = new Error('4111111111111111');
    expect(redactDeep(err)).toBe(err);
  });
});

describe('redactCallerInput', () => {
  it('masks text and keyed digits, and returns the same input when clean', () => {
    expect(redactCallerInput({ kind: 'speech', text: spoken('4111111111111111') })).toEqual({ kind: 'speech', text: '************1111' });
    expect(redactCallerInput({ kind: 'dtmf', digits: '4111111111111111' })).toEqual({ kind: 'dtmf', digits: '************1111' });
    const zip = { kind: 'dtmf', digits: '94107' };
    expect(redactCallerInput(zip)).toBe(zip);
  });
});

describe('redactPartial', () => {
  it('hides a long digit run still being read out', () => {
    expect(redactPartial(`card ${spoken('411111111111')}`)).toBe('card [digits hidden]');
    expect(redactPartial('zip nine four one oh seven')).toBe('zip nine four one oh seven');
  });
});

describe('keypadPauseMs', () => {
  it('waits longer once keyed digits look like the start of a card', () => {
    expect(keypadPauseMs('0', 1200)).toBe(1200);
    expect(keypadPauseMs('941', 1200)).toBe(1200);
    expect(keypadPauseMs('4111', 1200)).toBe(CARD_ENTRY_INTERDIGIT_MS);
    expect(keypadPauseMs('01151980', 1200)).toBe(1200);
  });
});

describe('redactLogLine', () => {
  it('masks string values of a pino line and leaves numbers such as the time alone', () => {
    const time = 4222222222222; // 13 digits passing Luhn: a number, not a string
    expect(luhnValid(String(time))).toBe(true);
    const line = `${JSON.stringify({ level: 30, time, msg: 'caller said 4111 1111 1111 1111', err: { message: '123-45-6789' } })}\n`;
    const out = redactLogLine(line);
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({ level: 30, time, msg: 'caller said ************1111', err: { message: '***-**-6789' } });
    const clean = '{"level":30,"msg":"voice call started"}\n';
    expect(redactLogLine(clean)).toBe(clean);
  });
});

describe('withoutMaskedNumbers', () => {
  it('blanks masked cards and SSNs so their kept digits read as nothing', () => {
    expect(withoutMaskedNumbers('order? my card is ************1111, ssn ***-**-6789').replace(/\s+/g, ' ')).toBe('order? my card is , ssn ');
    expect(withoutMaskedNumbers('order O-1001 and zip 94107')).toBe('order O-1001 and zip 94107');
  });
});

describe('seeded random cards', () => {
  /** A small seeded generator, so a failure names a reproducible number. */
  function digitsFrom(seed: number) {
    let x = seed;
    return (n: number) => {
      let out = '';
      for (let i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        out += String(Math.floor((x / 2147483648) * 10));
      }
      return out;
    };
  }

  it('masks 500 Luhn-valid cards in every form, and leaves the same digits alone when Luhn fails', () => {
    const next = digitsFrom(20261129);
    for (let i = 0; i < 500; i++) {
      const length = 13 + (i % 7);
      const card = withCheckDigit(`${2 + (i % 5)}${next(length - 2)}`);
      const wrong = card.slice(0, -1) + String((Number(card.at(-1)) + 1) % 10);
      const masked = maskedOf(card);
      const forms = (n: string) => [n, spoken(n), n.match(/.{1,4}/g)!.join(' '), n.match(/.{1,4}/g)!.join('-')];
      for (const form of forms(card)) expect(redact(`it is ${form} ok`), form).toBe(`it is ${masked} ok`);
      // Up to sixteen digits, a failed Luhn check is never masked in any form. Longer grouped
      // or spoken runs are searched for a card followed by an expiry date or code, so their
      // first fifteen or sixteen digits may pass by chance: only the typed run is checked.
      const whole = card.length <= 16 ? forms(wrong) : forms(wrong).slice(0, 1);
      for (const form of whole) expect(redact(`it is ${form} ok`), form).toBe(`it is ${form} ok`);
    }
  });

  it('never masks zips, US phone numbers or dates', () => {
    const next = digitsFrom(7);
    for (let i = 0; i < 300; i++) {
      const zip = next(5);
      const phone = `+1 ${2 + (i % 8)}${next(2)} ${next(3)} ${next(4)}`;
      const date = `${1950 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const text = `zip ${zip}, or ${spoken(zip)}; phone ${phone}; born ${date}`;
      expect(redact(text)).toBe(text);
    }
  });
});

function maskedOf(card: string): string {
  return '*'.repeat(card.length - 4) + card.slice(-4);
}
