// Azure Translator (Text Translation v3): POST {endpoint}/translate?api-version=3.0&from=es&to=en
// with `[{ "Text": "…" }]`, answered by `[{ "translations": [{ "text": "…", "to": "en" }] }]`.
// A regional (or multi-service) resource also needs Ocp-Apim-Subscription-Region.
import type { Translator } from './translator';

export interface AzureTranslatorOptions {
  key: string;
  /** https://api.cognitive.microsofttranslator.com, a custom endpoint, or a test stand-in. */
  endpoint: string;
  region?: string;
}

const TIMEOUT_MS = 8000;

/** Azure Translator names most languages by their tag (es, de); a few need the region (pt-PT, zh-Hant). */
function translatorCode(locale: string): string {
  const [lang, region] = locale.split('-');
  if (lang === 'pt' && region === 'PT') return 'pt-PT';
  return lang!.toLowerCase();
}

export function createAzureTranslator(o: AzureTranslatorOptions): Translator {
  const base = o.endpoint.replace(/\/+$/, '');
  return {
    provider: 'Azure Translator',
    async translate(text, from, to, opts = {}) {
      const url = `${base}/translate?api-version=3.0&from=${encodeURIComponent(translatorCode(from))}&to=${encodeURIComponent(translatorCode(to))}`;
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'Ocp-Apim-Subscription-Key': o.key,
            ...(o.region ? { 'Ocp-Apim-Subscription-Region': o.region } : {}),
            'Content-Type': 'application/json; charset=UTF-8',
          },
          body: JSON.stringify([{ Text: text }]),
          signal,
        });
      } catch (err) {
        throw new Error(`Azure Translator at ${base} could not be reached (${(err as Error).message}). Check AZURE_TRANSLATOR_ENDPOINT and the network.`);
      }
      if (response.status === 401 || response.status === 403) {
        throw new Error(`Azure Translator refused the key (${response.status}). Check AZURE_TRANSLATOR_KEY and AZURE_TRANSLATOR_REGION.`);
      }
      if (!response.ok) {
        const detail = await response.text().catch(() => '');
        throw new Error(`Azure Translator answered ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''}.`);
      }
      const body = (await response.json()) as Array<{ translations?: Array<{ text?: string }> }>;
      const out = body[0]?.translations?.[0]?.text;
      if (typeof out !== 'string') throw new Error('Azure Translator answered without a translation.');
      return out;
    },
  };
}
