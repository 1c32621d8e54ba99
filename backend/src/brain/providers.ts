// Chooses the brain for a conversation from configuration: the local brain (the default, no
// network), or a chat model through the official `openai` package — OpenAI or any
// compatible server (`openai`), or Azure OpenAI (`azure-openai`) — with the local brain
// behind it as the fallback. One brain per conversation: per-call memory never leaks.
import OpenAI, { AzureOpenAI } from 'openai';
import type { AppConfig } from '../config/config';
import type { Brain } from './brain';
import { LocalBrain } from './local-brain';
import { ModelWithFallback, type ProviderHealth } from './model-fallback';
import { OpenAiBrain } from './openai-brain';
import { streamWholeTurns } from './whole-turn-stream';

export interface ChatModel {
  provider: 'openai' | 'azure-openai';
  client: OpenAI;
  model: string;
  /** Where requests go, for the banner and logs (never the key). */
  endpoint: string;
  /** Shared by every conversation: an unreachable provider is left alone for a while. */
  health: ProviderHealth;
}

/** The configured model client, or undefined for BRAIN_PROVIDER=local. */
export function createChatModel(config: AppConfig): ChatModel | undefined {
  switch (config.BRAIN_PROVIDER) {
    case 'local':
      return undefined;
    case 'openai': {
      const baseURL = config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
      return {
        provider: 'openai',
        // Local model servers accept any key; the client insists on one.
        client: new OpenAI({ apiKey: config.OPENAI_API_KEY ?? 'not-needed', baseURL, maxRetries: 0 }),
        model: config.OPENAI_MODEL!,
        endpoint: baseURL,
        health: { downUntil: 0 },
      };
    }
    case 'azure-openai':
      return {
        provider: 'azure-openai',
        client: new AzureOpenAI({
          endpoint: config.AZURE_OPENAI_ENDPOINT!,
          apiKey: config.AZURE_OPENAI_API_KEY!,
          deployment: config.AZURE_OPENAI_DEPLOYMENT!,
          apiVersion: config.AZURE_OPENAI_API_VERSION,
          maxRetries: 0,
        }),
        model: config.AZURE_OPENAI_DEPLOYMENT!,
        endpoint: `${config.AZURE_OPENAI_ENDPOINT!} (deployment ${config.AZURE_OPENAI_DEPLOYMENT!})`,
        health: { downUntil: 0 },
      };
  }
}

export interface BrainExtras {
  /** A model shared by every conversation (its HTTP agent pools connections). */
  chatModel?: ChatModel | undefined;
  onProblem?: (message: string) => void;
}

export function createBrain(config: AppConfig, extras: BrainExtras = {}): Brain {
  const local = new LocalBrain();
  const localBrain = streamWholeTurns(local);
  const chat = extras.chatModel ?? createChatModel(config);
  if (!chat) return localBrain;
  const model = new OpenAiBrain({
    provider: chat.provider,
    client: chat.client,
    model: chat.model,
    companyName: config.COMPANY_NAME,
    policyTopics: Object.keys(config.policyTopics),
    historyLimit: config.BRAIN_HISTORY_LINES,
    turnBudgetMs: config.BRAIN_TURN_BUDGET_MS,
    maxRetries: config.BRAIN_MAX_RETRIES,
    pricing: { inputPerMTok: config.MODEL_PRICE_INPUT_PER_MTOK, outputPerMTok: config.MODEL_PRICE_OUTPUT_PER_MTOK },
    greeting: (companyName) => local.greet({ companyName }),
  });
  return new ModelWithFallback(model, localBrain, {
    hardDeadlineMs: config.BRAIN_HARD_DEADLINE_MS,
    maxFailures: config.BRAIN_MAX_FAILURES,
    health: chat.health,
    ...(extras.onProblem ? { onProblem: extras.onProblem } : {}),
  });
}

/**
 * Start-up check: can the model provider be reached? A problem is a banner warning, not a
 * stop: the local brain answers until the provider is reachable.
 */
export async function probeChatModel(chat: ChatModel, timeoutMs = 3000): Promise<string | undefined> {
  try {
    await chat.client.chat.completions.create(
      { model: chat.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_completion_tokens: 5 },
      { timeout: timeoutMs, maxRetries: 0 },
    );
    return undefined;
  } catch (err) {
    chat.health.downUntil = Date.now() + 30_000;
    return `${chat.provider} at ${chat.endpoint} is not answering (${err instanceof Error ? err.message : String(err)}); the local brain answers until it is reachable.`;
  }
}
