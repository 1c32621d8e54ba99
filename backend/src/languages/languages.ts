// The languages this call center serves (LANGUAGES, the first is the default) and the few
// lines the system itself says in each: the keypad offer in the greeting, the welcome after a
// keypad choice, "I'll find a person who speaks your language" (brains that answer in English
// only), and the fallback notice for a language we do not serve. Brains write everything else.
//
// A locale is known here when we have its lines and a default Azure neural voice; adding one is
// adding a row. Codes are BCP-47 locales as Azure Speech names them (es-ES, not es).

export interface LanguageInfo {
  code: string;
  /** English name, for agents, prompts and logs. */
  name: string;
  /** The language's own name, said in the keypad offer. */
  native: string;
  /** Default Azure neural voice (AZURE_SPEECH_VOICES overrides it). */
  voice: string;
  /** "For <native>, press N." in the language itself. */
  keypadOffer: (key: number) => string;
  /** Said after a keypad choice, before the caller's first question. */
  welcome: string;
  /** A brain that cannot answer in this language hands the caller to a person who speaks it. */
  findPerson: string;
  /** Said in this language when the caller spoke one we do not serve and we carry on in this one. */
  fallbackNotice: string;
}

const TABLE: readonly LanguageInfo[] = [
  {
    code: 'en-US',
    name: 'English',
    native: 'English',
    voice: 'en-US-JennyNeural',
    keypadOffer: (k) => `For English, press ${k}.`,
    welcome: 'How can I help you today?',
    findPerson: "I'll find a person who can help you. Please stay on the line.",
    fallbackNotice: "Sorry, I can't speak that language yet, so let's continue in English.",
  },
  {
    code: 'en-GB',
    name: 'English (UK)',
    native: 'English',
    voice: 'en-GB-SoniaNeural',
    keypadOffer: (k) => `For English, press ${k}.`,
    welcome: 'How can I help you today?',
    findPerson: "I'll find a person who can help you. Please stay on the line.",
    fallbackNotice: "Sorry, I can't speak that language yet, so let's continue in English.",
  },
  {
    code: 'es-ES',
    name: 'Spanish',
    native: 'español',
    voice: 'es-ES-ElviraNeural',
    keypadOffer: (k) => `Para español, oprima ${k}.`,
    welcome: '¿En qué puedo ayudarle hoy?',
    findPerson: 'Voy a buscar a una persona que hable español. Por favor, no cuelgue.',
    fallbackNotice: 'Lo siento, todavía no hablo ese idioma, así que continuemos en español.',
  },
  {
    code: 'es-MX',
    name: 'Spanish (Mexico)',
    native: 'español',
    voice: 'es-MX-DaliaNeural',
    keypadOffer: (k) => `Para español, oprima ${k}.`,
    welcome: '¿En qué puedo ayudarle hoy?',
    findPerson: 'Voy a buscar a una persona que hable español. Por favor, no cuelgue.',
    fallbackNotice: 'Lo siento, todavía no hablo ese idioma, así que continuemos en español.',
  },
  {
    code: 'de-DE',
    name: 'German',
    native: 'Deutsch',
    voice: 'de-DE-KatjaNeural',
    keypadOffer: (k) => `Für Deutsch drücken Sie die ${k}.`,
    welcome: 'Wie kann ich Ihnen heute helfen?',
    findPerson: 'Ich verbinde Sie mit einer Person, die Deutsch spricht. Bitte bleiben Sie dran.',
    fallbackNotice: 'Entschuldigung, diese Sprache spreche ich noch nicht. Machen wir auf Deutsch weiter.',
  },
  {
    code: 'fr-FR',
    name: 'French',
    native: 'français',
    voice: 'fr-FR-DeniseNeural',
    keypadOffer: (k) => `Pour le français, appuyez sur ${k}.`,
    welcome: "Comment puis-je vous aider aujourd'hui ?",
    findPerson: 'Je vais trouver une personne qui parle français. Merci de rester en ligne.',
    fallbackNotice: 'Désolé, je ne parle pas encore cette langue, continuons en français.',
  },
  {
    code: 'it-IT',
    name: 'Italian',
    native: 'italiano',
    voice: 'it-IT-ElsaNeural',
    keypadOffer: (k) => `Per l'italiano, premere ${k}.`,
    welcome: 'Come posso aiutarla oggi?',
    findPerson: 'Cerco una persona che parli italiano. Resti in linea, per favore.',
    fallbackNotice: 'Mi dispiace, non parlo ancora questa lingua, quindi continuiamo in italiano.',
  },
  {
    code: 'pt-BR',
    name: 'Portuguese (Brazil)',
    native: 'português',
    voice: 'pt-BR-FranciscaNeural',
    keypadOffer: (k) => `Para português, tecle ${k}.`,
    welcome: 'Como posso ajudar você hoje?',
    findPerson: 'Vou encontrar uma pessoa que fale português. Por favor, aguarde na linha.',
    fallbackNotice: 'Desculpe, ainda não falo esse idioma, então vamos continuar em português.',
  },
];

const BY_CODE = new Map(TABLE.map((l) => [l.code.toLowerCase(), l]));

export const KNOWN_LANGUAGES: readonly string[] = TABLE.map((l) => l.code);

export function languageInfo(code: string): LanguageInfo | undefined {
  return BY_CODE.get(code.toLowerCase());
}

/** en-US → en: brains and articles match on the language, not the region. */
export function primaryTag(code: string): string {
  return code.split('-')[0]!.toLowerCase();
}

/** The languages a deployment serves, with the default first and the keypad key of each. */
export class Languages {
  readonly list: readonly LanguageInfo[];
  readonly fallback: LanguageInfo;
  readonly #voices: ReadonlyMap<string, string>;

  constructor(list: readonly LanguageInfo[], fallback: LanguageInfo, voices: ReadonlyMap<string, string> = new Map()) {
    this.list = list;
    this.fallback = fallback;
    this.#voices = voices;
  }

  get default(): LanguageInfo {
    return this.list[0]!;
  }

  get codes(): string[] {
    return this.list.map((l) => l.code);
  }

  get multilingual(): boolean {
    return this.list.length > 1;
  }

  /** The served language for a detected or requested code: exact locale first, then the same language in another region. */
  find(code: string): LanguageInfo | undefined {
    const exact = this.list.find((l) => l.code.toLowerCase() === code.toLowerCase());
    return exact ?? this.list.find((l) => primaryTag(l.code) === primaryTag(code));
  }

  /** Keypad keys in the greeting: the default language is 1, the next 2, … (0 stays "a person"). */
  byKey(key: string): LanguageInfo | undefined {
    const n = Number(key);
    return Number.isInteger(n) && n >= 1 ? this.list[n - 1] : undefined;
  }

  /** The greeting's keypad offer, each sentence in its own language ("Para español, oprima 2."). */
  keypadOffer(): string {
    return this.list
      .slice(1)
      .map((l, i) => l.keypadOffer(i + 2))
      .join(' ');
  }

  /** The Azure voice that speaks this language (AZURE_SPEECH_VOICES, else the table's). */
  voiceFor(code: string): string {
    const info = this.find(code) ?? this.default;
    return this.#voices.get(info.code.toLowerCase()) ?? info.voice;
  }
}

export class LanguageConfigError extends Error {}

/**
 * Reads LANGUAGES ("en-US,es-ES,de-DE"), LANGUAGE_FALLBACK and AZURE_SPEECH_VOICES
 * ("es-ES=es-ES-AlvaroNeural,de-DE=de-DE-ConradNeural"). Unknown codes stop the start with the
 * list of known ones.
 */
export function parseLanguages(languages: string, fallback?: string, voices?: string): Languages {
  const codes = languages
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (codes.length === 0) throw new LanguageConfigError('LANGUAGES is empty: list at least one locale, such as en-US.');
  const unknown = codes.filter((c) => !languageInfo(c));
  if (unknown.length > 0) {
    throw new LanguageConfigError(`LANGUAGES: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a language this build serves. Use some of ${KNOWN_LANGUAGES.join(', ')}.`);
  }
  const list = [...new Map(codes.map((c) => [c.toLowerCase(), languageInfo(c)!])).values()];
  const fallbackInfo = fallback ? list.find((l) => l.code.toLowerCase() === fallback.toLowerCase()) : list[0];
  if (!fallbackInfo) throw new LanguageConfigError(`LANGUAGE_FALLBACK: ${fallback} is not one of LANGUAGES (${codes.join(', ')}). Pick one of them.`);
  const voiceMap = new Map<string, string>();
  for (const pair of (voices ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [code, voice] = pair.split('=').map((s) => s.trim());
    if (!code || !voice || !/^[a-z]{2,3}-[A-Z]{2,4}-\w+$/.test(voice)) {
      throw new LanguageConfigError(`AZURE_SPEECH_VOICES: "${pair}" must be locale=voice, such as es-ES=es-ES-AlvaroNeural.`);
    }
    if (!list.some((l) => l.code.toLowerCase() === code.toLowerCase())) {
      throw new LanguageConfigError(`AZURE_SPEECH_VOICES: ${code} is not one of LANGUAGES (${codes.join(', ')}).`);
    }
    voiceMap.set(code.toLowerCase(), voice);
  }
  return new Languages(list, fallbackInfo, voiceMap);
}
