// `BRAIN_PROVIDER=openai npm run simulate -- scenarios`: the simulator runs the brain the
// server is configured with (same environment and config file), here a scripted model on the
// OpenAI-compatible stand-in, through the real `openai` client.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/simulator/cli';
import { OpenAiStandIn, toolResultsIn } from '../support/openai-stand-in';

let standIn: OpenAiStandIn;
beforeAll(async () => {
  standIn = await OpenAiStandIn.start({
    // A small honest model: look the question up, then answer from the article.
    script: (req) => {
      const found = toolResultsIn(req).find((r) => r.name === 'search_knowledge');
      if (!found) return { kind: 'reply', toolCalls: [{ name: 'search_knowledge', args: { query: 'return window' } }] };
      return { kind: 'reply', text: /30 days/.test(found.content) ? 'You can return most items within 30 days of delivery.' : "I'm sorry, I don't know that." };
    },
  });
});
afterAll(async () => {
  await standIn.close();
});

async function simulate(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (l) => lines.push(l), env);
  return { code, out: lines.join('\n') };
}

describe('simulate with the configured model provider', () => {
  it('runs scenarios through the openai provider named by the environment', async () => {
    const { code, out } = await simulate(['scenarios/knowledge-returns.yaml'], {
      BRAIN_PROVIDER: 'openai',
      OPENAI_BASE_URL: standIn.baseUrl,
      OPENAI_MODEL: 'scenario-model',
    });
    expect(out).toContain('brain: openai (scenario-model)');
    expect(code).toBe(0);
    expect(standIn.requests.length).toBeGreaterThanOrEqual(2);
    expect(standIn.requests.every((r) => r.body.model === 'scenario-model')).toBe(true);
  });

  it('reads the provider from CONFIG_FILE like the server does, and names a missing variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-config-'));
    try {
      const file = join(dir, 'switchboard.yaml');
      writeFileSync(file, `BRAIN_PROVIDER: openai\nOPENAI_BASE_URL: ${standIn.baseUrl}\nOPENAI_MODEL: from-file\n`);
      const before = standIn.requests.length;
      const ok = await simulate(['scenarios/knowledge-returns.yaml'], { CONFIG_FILE: file });
      expect(ok.code).toBe(0);
      expect(standIn.requests.slice(before).every((r) => r.body.model === 'from-file')).toBe(true);
      const bad = await simulate(['scenarios/knowledge-returns.yaml'], { BRAIN_PROVIDER: 'azure-openai' });
      expect(bad.code).toBe(2);
      expect(bad.out).toMatch(/AZURE_OPENAI_ENDPOINT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
