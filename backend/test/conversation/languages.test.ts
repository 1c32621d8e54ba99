// The caller's language in the conversation (text sessions and a local-brain voice session):
// the keypad choice in the greeting, a language we do not serve (the fallback, said to the
// caller), the local brain handing a Spanish caller to a person who speaks Spanish — in Spanish
// when the voice can say it, in English when it cannot — and knowledge per language.
import { afterEach, describe, expect, it } from 'vitest';
import type { KnowledgeArticle } from '../../../contracts/crm';
import { defaultConfig } from '../../src/config/config';
import { KnowledgeByLanguage } from '../../src/knowledge/knowledge-by-language';
import { createServices, type Services } from '../../src/runtime/services';

const opened: Services[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function services(overrides: Record<string, unknown> = {}): Promise<Services> {
  const s = await createServices({ config: defaultConfig({ LANGUAGES: 'en-US,es-ES,de-DE', ...overrides }), databaseFile: ':memory:' });
  opened.push(s);
  return s;
}

describe('the caller’s language', () => {
  it('offers each language by keypad in the greeting; a key before the first words chooses it', async () => {
    const s = await services({ TTS_PROVIDER: 'azure', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_HOST: 'ws://127.0.0.1:9' });
    const call = await s.startConversation({ channel: 'voice', callerId: '+15550100009' });
    expect(call.greeting.text).toMatch(/Para español, oprima 2\. Für Deutsch drücken Sie die 3\.$/);
    const turn = await call.handle({ kind: 'dtmf', digits: '2' });
    expect(call.language).toBe('es-ES');
    // The local brain answers in English only: a person who speaks Spanish, said in Spanish (Azure voice).
    expect(turn.text).toBe('Voy a buscar a una persona que hable español. Por favor, no cuelgue.');
    expect(turn.escalated?.reason).toBe('language');
    const log = await s.store.listEvents(call.sessionId);
    expect(log.find((e) => e.type === 'caller.language')?.data).toEqual({ language: 'es-ES', source: 'keypad' });
    expect(log.find((e) => e.type === 'call.escalated')?.data).toMatchObject({ reason: 'language', language: 'es-ES' });
  });

  it('with flite (English only) the local brain says it in English', async () => {
    const s = await services();
    const call = await s.startConversation({ channel: 'voice', callerId: '+15550100009' });
    const turn = await call.handle({ kind: 'speech', text: 'hola necesito ayuda', language: 'de-DE' });
    expect(turn.text).toBe("I'll find a person who speaks German. Please stay on the line.");
    expect(turn.escalated?.reason).toBe('language');
  });

  it('keys are only a language choice before the caller speaks', async () => {
    const s = await services();
    const call = await s.startConversation({ channel: 'text', callerId: '+15550100009' });
    await call.handle({ kind: 'text', text: 'what are your opening hours' });
    await call.handle({ kind: 'dtmf', digits: '2' });
    expect(call.language).toBe('en-US');
  });

  it('a language we do not serve becomes the fallback, and the caller is told so in it', async () => {
    const s = await services({ LANGUAGE_FALLBACK: 'en-US' });
    const call = await s.startConversation({ channel: 'text', callerId: '+15550100009' });
    const turn = await call.handle({ kind: 'speech', text: 'what are your opening hours', language: 'fr-FR' });
    expect(turn.messages[0]).toBe("Sorry, I can't speak that language yet, so let's continue in English.");
    expect(turn.text).toMatch(/hours/i);
    expect(call.language).toBe('en-US');
    const log = await s.store.listEvents(call.sessionId);
    expect(log.find((e) => e.type === 'caller.language')?.data).toEqual({ language: 'en-US', source: 'speech', requested: 'fr-FR' });
    // Said once, not on every turn.
    const next = await call.handle({ kind: 'speech', text: 'and on weekends', language: 'fr-FR' });
    expect(next.text).not.toMatch(/can't speak that language/);
  });
});

describe('knowledge per language', () => {
  const articles: KnowledgeArticle[] = [
    { id: 'hours', title: 'Opening hours', body: 'We are open from 8 am to 8 pm, Monday to Friday.', tags: ['hours', 'opening'] },
    { id: 'horario', title: 'Horario de atención', body: 'Abrimos de 8 a 20 horas, de lunes a viernes.', tags: ['horario', 'apertura'], language: 'es' },
  ];
  const kb = new KnowledgeByLanguage(articles, 'en-US');

  it('searches the caller’s language first', () => {
    expect(kb.lookupFor('es-ES').search('¿horario de apertura?', 3)[0]?.article.id).toBe('horario');
    expect(kb.main.size).toBe(1);
  });

  it('falls back to the default language when nothing in theirs fits, or they have no articles', () => {
    expect(kb.lookupFor('es-ES').search('opening hours', 3)[0]?.article.id).toBe('hours');
    expect(kb.lookupFor('de-DE').search('opening hours', 3)[0]?.article.id).toBe('hours');
  });
});
