// The Translator adapters through their real clients: Azure Translator over HTTP (fetch) against
// a stand-in speaking its v3 /translate JSON, and the model translator through the `openai`
// package against the OpenAI stand-in; with none configured the feature is off and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config';
import { createChatModel } from '../../src/brain/providers';
import { createAzureTranslator } from '../../src/translation/azure-translator';
import { createModelTranslator } from '../../src/translation/model-translator';
import { createTranslator } from '../../src/translation/translator';
import { startAzureTranslatorStandIn, type AzureTranslatorStandIn } from '../support/azure-translator-stand-in';
import { OpenAiStandIn } from '../support/openai-stand-in';

let azure: AzureTranslatorStandIn;
let model: OpenAiStandIn;
beforeAll(async () => {
  azure = await startAzureTranslatorStandIn({ '¿Dónde está mi pedido?': 'Where is my order?' });
  model = await OpenAiStandIn.start({ script: [{ kind: 'reply', text: 'Where is my order?' }] });
});
afterAll(async () => {
  await azure.close();
  await model.close();
});

describe('Azure Translator adapter (v3 /translate stand-in)', () => {
  it('sends the line with the key, region and language codes, and reads the translation', async () => {
    const translator = createAzureTranslator({ key: azure.key, endpoint: azure.url, region: 'westeurope' });
    expect(await translator.translate('¿Dónde está mi pedido?', 'es-ES', 'en-US')).toBe('Where is my order?');
    const request = azure.requests.at(-1)!;
    expect(request.query.get('from')).toBe('es');
    expect(request.query.get('to')).toBe('en');
    expect(request.headers['ocp-apim-subscription-region']).toBe('westeurope');
    expect(request.body).toEqual([{ Text: '¿Dónde está mi pedido?' }]);
  });

  it('a wrong key says which settings to check', async () => {
    const translator = createAzureTranslator({ key: 'wrong', endpoint: azure.url });
    await expect(translator.translate('hola', 'es-ES', 'en-US')).rejects.toThrow(/refused the key.*AZURE_TRANSLATOR_KEY/);
  });

  it('is chosen by TRANSLATOR_PROVIDER=azure', () => {
    const config = defaultConfig({ TRANSLATOR_PROVIDER: 'azure', AZURE_TRANSLATOR_KEY: azure.key, AZURE_TRANSLATOR_ENDPOINT: azure.url });
    expect(createTranslator(config, undefined).translator?.provider).toBe('Azure Translator');
  });
});

describe('model translator (openai package, OpenAI stand-in)', () => {
  it('asks the model for the translation only, the line quoted as data', async () => {
    const config = defaultConfig({ BRAIN_PROVIDER: 'openai', OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'stand-in' });
    const chat = createChatModel(config)!;
    const translator = createModelTranslator(chat);
    expect(await translator.translate('¿Dónde está mi pedido?', 'es-ES', 'en-US')).toBe('Where is my order?');
    const body = model.requests.at(-1)!.body;
    expect(body.messages[0]?.content).toMatch(/from Spanish \(es-ES\) to English \(en-US\)/);
    expect(body.messages[1]?.content).toBe(JSON.stringify('¿Dónde está mi pedido?'));
    // Auto: a model brain translates when no translator is named.
    expect(createTranslator(config, chat).translator?.provider).toMatch(/openai/);
  });
});

describe('no translator', () => {
  it('is off with the local brain and says what to set', () => {
    const choice = createTranslator(defaultConfig({}), undefined);
    expect(choice.translator).toBeUndefined();
    expect(choice.why).toMatch(/TRANSLATOR_PROVIDER=azure.*AZURE_TRANSLATOR_KEY/);
  });

  it('a translator named without its settings stops the start', () => {
    expect(() => defaultConfig({ TRANSLATOR_PROVIDER: 'azure' })).toThrow(/AZURE_TRANSLATOR_KEY/);
    expect(() => defaultConfig({ TRANSLATOR_PROVIDER: 'model' })).toThrow(/BRAIN_PROVIDER=openai/);
  });
});
