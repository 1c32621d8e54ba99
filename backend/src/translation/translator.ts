// The translation port: agents read callers (and callers hear agents) in their own language.
// Adapters: the model brain's chat model (model-translator.ts) and Azure Translator's REST API
// (azure-translator.ts). With none configured the feature is off, and `why` says so on the desk.
import type { AppConfig } from '../config/config';
import { translatorProvider } from '../config/config';
import type { ChatModel } from '../brain/providers';
import { createAzureTranslator } from './azure-translator';
import { createModelTranslator } from './model-translator';

export interface Translator {
  readonly provider: string;
  /** `from`/`to` are locales (es-ES) or language tags (es). Throws with a message saying what to check. */
  translate(text: string, from: string, to: string, opts?: { signal?: AbortSignal }): Promise<string>;
}

/** The configured translator, or why there is none (shown to agents whose calls need one). */
export type TranslatorChoice = { translator: Translator; why?: undefined } | { translator?: undefined; why: string };

export function createTranslator(config: AppConfig, chat: ChatModel | undefined): TranslatorChoice {
  const provider = translatorProvider(config);
  if (provider === 'azure' && config.AZURE_TRANSLATOR_KEY) {
    return {
      translator: createAzureTranslator({
        key: config.AZURE_TRANSLATOR_KEY,
        endpoint: config.AZURE_TRANSLATOR_ENDPOINT,
        ...(config.AZURE_TRANSLATOR_REGION ? { region: config.AZURE_TRANSLATOR_REGION } : {}),
      }),
    };
  }
  if (provider === 'model' && chat) return { translator: createModelTranslator(chat) };
  return {
    why: 'Translation is off: no translator is configured. Set TRANSLATOR_PROVIDER=azure with AZURE_TRANSLATOR_KEY, or use a model brain (BRAIN_PROVIDER=openai); see docs/providers.md.',
  };
}

/** en-US and en-GB are one language to a reader: no translation between them. */
export function sameLanguage(a: string, b: string): boolean {
  return a.split('-')[0]!.toLowerCase() === b.split('-')[0]!.toLowerCase();
}
