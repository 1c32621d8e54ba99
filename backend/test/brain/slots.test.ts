// Slot extraction from spoken and typed caller input: digits, zip codes, dates, order ids
// and phone numbers, as speech recognizers and keyboards actually produce them.
import { describe, expect, it } from 'vitest';
import {
  allDigits,
  digitRuns,
  extractDate,
  extractOrderId,
  extractPhone,
  extractZip,
  parseNumberWords,
  tokenize,
} from '../../src/brain/slots';

describe('tokenize', () => {
  it('lower-cases and splits on anything that is not a letter or digit', () => {
    expect(tokenize('Nine-Four, ONE!  oh 07')).toEqual(['nine', 'four', 'one', 'oh', '07']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('digit normalization', () => {
  it.each([
    ['nine four one oh seven', ['94107']],
    ['nine four one zero seven', ['94107']],
    ['nine four one o seven', ['94107']],
    ['Nine. Four. One. Oh. Seven.', ['94107']],
    ['94107', ['94107']],
    ['941 07', ['94107']],
    ['my zip is 94107 thanks', ['94107']],
  ])('%j → %j', (text, runs) => {
    expect(digitRuns(text)).toEqual(runs);
  });

  it('expands double and triple', () => {
    expect(digitRuns('double seven')).toEqual(['77']);
    expect(digitRuns('one double seven two')).toEqual(['1772']);
    expect(digitRuns('triple five')).toEqual(['555']);
    expect(digitRuns('five five five oh one oh double oh oh one')).toEqual(['5550100001']);
  });

  it('splits runs at words that are not digits', () => {
    expect(digitRuns('one two and three four')).toEqual(['12', '34']);
    expect(digitRuns('I want a refund')).toEqual([]);
  });

  it('reads "to" and "for" as digits only between digits', () => {
    expect(digitRuns('one two for five')).toEqual(['1245']);
    expect(digitRuns('I went to the store for milk')).toEqual([]);
    expect(digitRuns('talk to 5 people')).toEqual(['5']);
  });

  it('does not read the O of an order id as a zero', () => {
    expect(digitRuns('O-1001')).toEqual(['1001']);
  });

  it('joins all digits of an utterance', () => {
    expect(allDigits('five five five, oh one oh oh, oh oh one')).toBe('5550100001');
    expect(allDigits('no digits here')).toBe('');
  });
});

describe('extractZip', () => {
  it.each([
    ['nine four one oh seven', '94107'],
    ['94107', '94107'],
    ['my zip code is 94107.', '94107'],
    ['nine four one, uh, oh seven', '94107'],
    ['zero two one three four', '02134'],
    ['nine four one double oh', '94100'],
  ])('%j → %s', (text, zip) => {
    expect(extractZip(text)).toBe(zip);
  });

  it.each([['nine four one'], ['941070'], ['hello there'], ['1 2 3 4'], ['']])('%j has no zip', (text) => {
    expect(extractZip(text)).toBeUndefined();
  });
});

describe('parseNumberWords', () => {
  it.each<[string, number]>([
    ['nineteen eighty five', 1985],
    ['twenty twenty six', 2026],
    ['two thousand and one', 2001],
    ['twelve', 12],
    ['nineteen oh five', 1905],
    ['one hundred twenty', 120],
  ])('%j → %d', (words, n) => {
    expect(parseNumberWords(words.split(' '))).toBe(n);
  });

  it('refuses non-number words and empty input', () => {
    expect(parseNumberWords([])).toBeUndefined();
    expect(parseNumberWords(['nineteen', 'apples'])).toBeUndefined();
  });
});

describe('extractDate', () => {
  it.each([
    ['1985-04-12', '1985-04-12'],
    ['04/12/1985', '1985-04-12'],
    ['4/12/1985', '1985-04-12'],
    ['04.12.1985', '1985-04-12'],
    ['April 12th, 1985', '1985-04-12'],
    ['april 12 1985', '1985-04-12'],
    ['Apr 12, 1985', '1985-04-12'],
    ['april twelfth nineteen eighty five', '1985-04-12'],
    ['the twelfth of April nineteen eighty five', '1985-04-12'],
    ['uh the third of march in seventy nine', '1979-03-03'],
    ['12 April 1985', '1985-04-12'],
    ['my birthday is april twelfth, 1985', '1985-04-12'],
    ['september twenty third nineteen ninety', '1990-09-23'],
    ['January thirtieth 1978', '1978-01-30'],
    ['May 3rd 1975', '1975-05-03'],
    ['december first two thousand', '2000-12-01'],
    ['February 29th 2000', '2000-02-29'],
  ])('%j → %s', (text, iso) => {
    expect(extractDate(text)).toBe(iso);
  });

  it.each([
    ['February 30th 1985'],
    ['2/30/1985'],
    ['1985-02-30'],
    ['February 29th 1985'],
    ['April 31st 1990'],
    ['13/01/1985'],
    ['1985-13-01'],
    ['April 12th 1850'],
    ['April 12th'],
    ['may I speak about my order'],
    ['what is your return policy'],
    [''],
  ])('%j is not a valid date', (text) => {
    expect(extractDate(text)).toBeUndefined();
  });
});

describe('extractOrderId', () => {
  it.each([
    ['O-1001', 'O-1001'],
    ['o-1001', 'O-1001'],
    ['where is O - 1001', 'O-1001'],
    ['order 1001', 'O-1001'],
    ['order number 1001', 'O-1001'],
    ['order number one zero zero one', 'O-1001'],
    ['my order id is one oh oh one', 'O-1001'],
    ['order hash 1002', 'O-1002'],
  ])('%j → %s', (text, id) => {
    expect(extractOrderId(text)).toBe(id);
  });

  it.each([['where is my order'], ['order 12'], ['I ordered 2 headsets'], ['']])('%j has no order id', (text) => {
    expect(extractOrderId(text)).toBeUndefined();
  });
});

describe('extractPhone', () => {
  it.each([
    ['+1 555 010 0001', '+15550100001'],
    ['+15550100001', '+15550100001'],
    ['(555) 010-0001', '+15550100001'],
    ['555-010-0001', '+15550100001'],
    ['1 555 010 0001', '+15550100001'],
    ['five five five oh one oh oh oh oh one', '+15550100001'],
    ['five five five, oh one oh, double oh oh one', '+15550100001'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%j → %s', (text, phone) => {
    expect(extractPhone(text)).toBe(phone);
  });

  it.each([['555 0100'], ['my zip is 94107'], ['call me'], ['2 555 010 0001']])('%j has no phone', (text) => {
    expect(extractPhone(text)).toBeUndefined();
  });
});
