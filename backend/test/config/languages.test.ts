// LANGUAGES: served locales, the default first, keypad keys, voices per language, and a clear
// start-up error for codes this build does not serve.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config';
import { parseLanguages } from '../../src/languages/languages';
import { describeLanguages, describeVoices } from '../../src/runtime/speech-engines';

describe('LANGUAGES', () => {
  it('defaults to en-US alone, with no keypad offer', () => {
    const { languages } = defaultConfig({});
    expect(languages.codes).toEqual(['en-US']);
    expect(languages.multilingual).toBe(false);
  });

  it('keeps the order (first is the default), offers the others by keypad in their own language', () => {
    const languages = parseLanguages('en-US,es-ES,de-DE');
    expect(languages.default.code).toBe('en-US');
    expect(languages.keypadOffer()).toBe('Para español, oprima 2. Für Deutsch drücken Sie die 3.');
    expect(languages.byKey('2')?.code).toBe('es-ES');
    expect(languages.byKey('0')).toBeUndefined();
    expect(languages.byKey('9')).toBeUndefined();
    expect(languages.fallback.code).toBe('en-US');
  });

  it('matches a detected locale by language when the region differs', () => {
    expect(parseLanguages('en-US,es-ES').find('es-MX')?.code).toBe('es-ES');
    expect(parseLanguages('en-US,es-ES').find('fr-FR')).toBeUndefined();
  });

  it('gives each language its Azure voice, configurable', () => {
    const config = defaultConfig({ LANGUAGES: 'en-US,es-ES', AZURE_SPEECH_VOICES: 'es-ES=es-ES-AlvaroNeural' });
    expect(config.languages.voiceFor('es-ES')).toBe('es-ES-AlvaroNeural');
    expect(config.languages.voiceFor('en-US')).toBe('en-US-JennyNeural');
    expect(defaultConfig({ AZURE_SPEECH_VOICE: 'en-US-GuyNeural' }).languages.voiceFor('en-US')).toBe('en-US-GuyNeural');
  });

  it('unknown codes stop the start and list the known ones', () => {
    expect(() => defaultConfig({ LANGUAGES: 'en-US,xx-YY' })).toThrow(/LANGUAGES: xx-YY is not a language this build serves\. Use some of en-US/);
    expect(() => defaultConfig({ LANGUAGES: 'en-US', LANGUAGE_FALLBACK: 'es-ES' })).toThrow(/LANGUAGE_FALLBACK: es-ES is not one of LANGUAGES/);
    expect(() => defaultConfig({ LANGUAGES: 'en-US', AZURE_SPEECH_VOICES: 'de-DE=de-DE-KatjaNeural' })).toThrow(/AZURE_SPEECH_VOICES: de-DE is not one of LANGUAGES/);
  });
});

describe('the start banner', () => {
  it('names the real voices: flite, or the Azure voice of each language', () => {
    expect(describeVoices(defaultConfig({}))).toBe('voice kal16');
    const azure = defaultConfig({ LANGUAGES: 'en-US,es-ES', TTS_PROVIDER: 'azure', STT_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'westeurope' });
    expect(describeVoices(azure)).toBe('voices en-US=en-US-JennyNeural, es-ES=es-ES-ElviraNeural');
    expect(describeLanguages(azure, { why: 'off' })).toBe(
      "languages: en-US (default), es-ES; caller's language by Azure language identification or keypad; fallback en-US; translation for agents: off (set TRANSLATOR_PROVIDER)",
    );
  });
});
