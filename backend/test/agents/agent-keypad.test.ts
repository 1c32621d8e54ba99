import { afterEach, describe, expect, it, vi } from 'vitest';
import { AGENT_KEYPAD_PAUSE_MS, AgentKeypadRun } from '../../src/agents/agent-keypad';

afterEach(() => {
  vi.useRealTimers();
});

function run() {
  const written: string[] = [];
  const keypad = new AgentKeypadRun({ agentId: 'a1', write: async (d) => void written.push(d), onError: () => undefined });
  return { keypad, written };
}

describe('AgentKeypadRun', () => {
  it('logs keys pressed one by one as one run after a pause', async () => {
    vi.useFakeTimers();
    const { keypad, written } = run();
    for (const key of '4111') keypad.press(key);
    await vi.advanceTimersByTimeAsync(AGENT_KEYPAD_PAUSE_MS - 100);
    for (const key of '111111111111') keypad.press(key);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(AGENT_KEYPAD_PAUSE_MS);
    expect(written).toEqual(['4111111111111111']);
    expect(keypad.pending).toBe('');
  });

  it('ends a run at # and on flush, and writes nothing for no keys', async () => {
    const { keypad, written } = run();
    keypad.press('1');
    keypad.press('#');
    await Promise.resolve();
    keypad.press('9');
    await keypad.flush();
    await keypad.flush();
    expect(written).toEqual(['1#', '9']);
  });

  it('reports a failed write instead of throwing', async () => {
    const errors: unknown[] = [];
    const keypad = new AgentKeypadRun({ agentId: 'a1', write: () => Promise.reject(new Error('disk')), onError: (e) => errors.push(e) });
    keypad.press('5');
    await keypad.flush();
    expect(errors).toHaveLength(1);
  });
});
