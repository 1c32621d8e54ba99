// The transcript full-text index behind one port: SQLite's FTS5 in the embedded store,
// PostgreSQL's full-text search (a stored tsvector with a GIN index) when STORE=postgres.
// Both key a line by rowid = sid × LINE_SLOTS + seq, so "newest matching sessions first" is
// a rowid-descending walk whatever the engine, and search.ts stays one piece of code.
import type { Kysely } from 'kysely';
import { dialectOf } from '../store/dialect';
import { all, run } from '../store/raw-sql';
import { LINE_SLOTS, lineParams } from './fact-rows';
import type { TranscriptLine } from './session-facts';

type Handle = Pick<Kysely<unknown>, 'executeQuery' | 'getExecutor'>;

export interface TranscriptIndex {
  /** Indexes (or re-indexes) one line; lines past the per-session slot limit are skipped. */
  addLine(db: Handle, sid: number, line: TranscriptLine): Promise<void>;
  /** Rowids of lines holding every word, within [lo, hi], newest first. */
  matches(db: Handle, words: readonly string[], lo: number, hi: number, limit: number): Promise<number[]>;
  lineText(db: Handle, rowid: number): Promise<string | undefined>;
}

/** SQLite FTS5: porter stemming, every word required, no prefix terms (they cost ~40× at a million sessions). */
export const SQLITE_INSERT_LINE_SQL = 'insert or replace into transcript_fts (rowid, text, speaker) values (?, ?, ?)';

const fts5: TranscriptIndex = {
  async addLine(db, sid, line) {
    const params = lineParams(sid, line);
    if (params) await run(db, SQLITE_INSERT_LINE_SQL, params);
  },
  async matches(db, words, lo, hi, limit) {
    const match = words.map((w) => `"${w}"`).join(' ');
    const rows = await all<{ rowid: number }>(db, 'select rowid from transcript_fts where transcript_fts match ? and rowid between ? and ? order by rowid desc limit ?', [match, lo, hi, limit]);
    return rows.map((r) => r.rowid);
  },
  async lineText(db, rowid) {
    // A rowid lookup without MATCH (FTS5 does not combine MATCH with rowid = well).
    const [line] = await all<{ text: string }>(db, 'select text from transcript_fts where rowid = ?', [rowid]);
    return line?.text;
  },
};

/** The first window: about 500 sessions' lines; each next window is four times wider. */
const PG_WINDOW_ROWIDS = 500 * LINE_SLOTS;

/** PostgreSQL: the english configuration stems like porter; plainto_tsquery ANDs the words. */
const tsvector: TranscriptIndex = {
  async addLine(db, sid, line) {
    const params = lineParams(sid, line);
    if (params) {
      await run(db, 'insert into transcript_fts (rowid, text, speaker) values (?, ?, ?) on conflict (rowid) do update set text = excluded.text, speaker = excluded.speaker', params);
    }
  },
  async matches(db, words, lo, hi, limit) {
    // GIN returns matches unordered, so "newest first, limit n" over the whole range would
    // collect and sort every match of a common word. Walk windows of sessions newest-first
    // instead (the rowid range combines with the GIN match in one bitmap): a common word
    // fills the page from the first window, a rare one costs a few cheap windows. `rowid + 0`
    // keeps the planner off a backward primary-key walk that tests every line of the window.
    const out: number[] = [];
    let window = PG_WINDOW_ROWIDS;
    for (let top = hi; top >= lo && out.length < limit; top -= window, window *= 4) {
      const bottom = Math.max(lo, top - window + 1);
      const rows = await all<{ rowid: number }>(
        db,
        "select rowid from transcript_fts where tsv @@ plainto_tsquery('english', ?) and rowid between ? and ? order by rowid + 0 desc limit ?",
        [words.join(' '), bottom, top, limit - out.length],
      );
      for (const r of rows) out.push(r.rowid);
    }
    return out;
  },
  async lineText(db, rowid) {
    const [line] = await all<{ text: string }>(db, 'select text from transcript_fts where rowid = ?', [rowid]);
    return line?.text;
  },
};

export function transcriptIndexFor(db: Handle): TranscriptIndex {
  return dialectOf(db) === 'postgres' ? tsvector : fts5;
}

/** The migration step that creates the index's table, in the dialect of `db`. */
export async function createTranscriptIndexTable(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await run(
      db,
      "create table transcript_fts (rowid bigint primary key, text text not null, speaker text not null, tsv tsvector generated always as (to_tsvector('english', text)) stored)",
    );
    await run(db, 'create index transcript_fts_tsv on transcript_fts using gin (tsv)');
    return;
  }
  // Contentless would save space but cannot produce snippets; the text is short, so keep it.
  await run(db, "create virtual table transcript_fts using fts5(text, speaker unindexed, tokenize = 'porter unicode61 remove_diacritics 2')");
}
