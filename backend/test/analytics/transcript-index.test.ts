// The transcript index port on both engines: every word required, word forms match
// (stemming), newest first within a rowid range, a limit, lines far apart (several of
// PostgreSQL's windows), and re-indexing a line replaces it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LINE_SLOTS } from '../../src/analytics/fact-rows';
import { transcriptIndexFor } from '../../src/analytics/transcript-index';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { freshSchema, type TestSchema } from '../support/postgres';

describe.each(['sqlite', 'postgres'] as const)('transcript index on %s', (engine) => {
  let db: SwitchboardDb;
  let schema: TestSchema | undefined;
  beforeEach(async () => {
    schema = engine === 'postgres' ? await freshSchema('fts') : undefined;
    db = schema ? await schema.open() : await openDatabase({ filename: ':memory:' });
  });
  afterEach(async () => {
    await db.destroy();
    await schema?.drop();
  });

  it('finds lines holding every word, newest first, within the range and limit', async () => {
    const index = transcriptIndexFor(db);
    const sids = [1, 2, 700, 3000, 12_000, 60_000];
    for (const sid of sids) {
      await index.addLine(db, sid, { seq: 3, speaker: 'caller', text: `my blender arrived damaged, call ${sid}` });
      await index.addLine(db, sid, { seq: 4, speaker: 'agent', text: 'I will refund the order' });
    }
    const hi = (60_000 + 1) * LINE_SLOTS - 1;
    const all = await index.matches(db, ['damaged', 'blenders'], 0, hi, 100);
    expect(all).toEqual([...sids].reverse().map((sid) => sid * LINE_SLOTS + 3));
    expect(await index.matches(db, ['damaged', 'blender'], 0, hi, 2)).toEqual([60_000 * LINE_SLOTS + 3, 12_000 * LINE_SLOTS + 3]);
    expect(await index.matches(db, ['damaged'], 2 * LINE_SLOTS, 3000 * LINE_SLOTS + 4095, 100)).toEqual([3000, 700, 2].map((sid) => sid * LINE_SLOTS + 3));
    expect(await index.matches(db, ['damaged', 'zebra'], 0, hi, 100)).toEqual([]);
    await index.addLine(db, 700, { seq: 3, speaker: 'caller', text: 'never mind' });
    expect(await index.lineText(db, 700 * LINE_SLOTS + 3)).toBe('never mind');
    expect((await index.matches(db, ['damaged'], 0, hi, 100)).length).toBe(5);
  });
});
