// Per-day rollups as counter deltas. A finished session contributes a fixed set of
// increments; when a late event changes a finished session, the ingest applies
// (new contribution − old contribution), so rollups never need a rebuild. The seeder sums the
// same deltas in memory and writes each key once.
//
// SQL is plain `INSERT … ON CONFLICT … DO UPDATE SET c = t.c + excluded.c`, which SQLite and
// PostgreSQL both speak (PostgreSQL needs the table-qualified `t.c`; placeholders are the
// dialect's, see store/raw-sql.ts).
import type { SessionAnalysis } from './session-facts';

export interface Delta {
  table: 'agent_day' | 'queue_day' | 'wait_day' | 'reason_day' | 'intent_day' | 'gap_day';
  keys: Record<string, string | number>;
  values: Record<string, number>;
}

/** Waits are bucketed by whole seconds; everything from this many seconds up shares the last bucket. */
export const MAX_WAIT_BUCKET_S = 600;

export function contributions({ fact, legs, gaps }: SessionAnalysis): Delta[] {
  if (fact.endedAt === null) return [];
  const team = fact.team ?? '';
  const day = fact.day;
  const out: Delta[] = [
    {
      table: 'queue_day',
      keys: { day, team, queue: fact.queue ?? '' },
      values: {
        sessions: 1,
        contained: fact.contained ? 1 : 0,
        escalated: fact.escalated ? 1 : 0,
        queued: fact.queuedAt !== null ? 1 : 0,
        answered: fact.acceptedAt !== null && fact.queuedAt !== null ? 1 : 0,
        wait_ms: fact.waitMs ?? 0,
        abandoned: fact.abandoned ? 1 : 0,
        callbacks: fact.callback ? 1 : 0,
        transfers: fact.transferredCount,
      },
    },
  ];
  if (fact.waitMs !== null) {
    out.push({ table: 'wait_day', keys: { day, team, wait_s: Math.min(MAX_WAIT_BUCKET_S, Math.floor(fact.waitMs / 1000)) }, values: { n: 1 } });
  }
  if (fact.reason !== null) out.push({ table: 'reason_day', keys: { day, team, reason: fact.reason }, values: { n: 1 } });
  if (fact.intent !== null) out.push({ table: 'intent_day', keys: { day, team, intent: fact.intent }, values: { n: 1 } });
  for (const g of gaps) out.push({ table: 'gap_day', keys: { day, signature: g.signature }, values: { n: 1 } });
  for (const leg of legs) {
    out.push({
      table: 'agent_day',
      keys: { agent_id: leg.agentId, day: leg.day },
      values: {
        calls: 1,
        talk_ms: leg.talkMs,
        hold_ms: leg.holdMs,
        wrap_ms: leg.wrapMs ?? 0,
        wrap_n: leg.wrapMs !== null ? 1 : 0,
        transfers: leg.transferredOut ? 1 : 0,
        shown: leg.suggestionsShown,
        used: leg.suggestionsUsed,
        sent_start_sum: leg.sentimentStart ?? 0,
        sent_start_n: leg.sentimentStart !== null ? 1 : 0,
        sent_end_sum: leg.sentimentEnd ?? 0,
        sent_end_n: leg.sentimentEnd !== null ? 1 : 0,
        csat_sum: leg.csat ?? 0,
        csat_n: leg.csat !== null ? 1 : 0,
      },
    });
  }
  return out;
}

function deltaKey(d: Delta): string {
  return `${d.table}\u0000${Object.values(d.keys).join('\u0000')}`;
}

/** Sums deltas by key (the seeder's in-memory rollup, and the ingest's old/new diff). */
export class DeltaSum {
  readonly #byKey = new Map<string, Delta>();

  add(deltas: readonly Delta[], sign: 1 | -1 = 1): void {
    for (const d of deltas) {
      const key = deltaKey(d);
      let acc = this.#byKey.get(key);
      if (!acc) {
        acc = { table: d.table, keys: d.keys, values: Object.fromEntries(Object.keys(d.values).map((k) => [k, 0])) };
        this.#byKey.set(key, acc);
      }
      for (const [k, v] of Object.entries(d.values)) acc.values[k] = (acc.values[k] ?? 0) + sign * v;
    }
  }

  /** The summed deltas, leaving out the ones that cancelled to zero. */
  deltas(): Delta[] {
    return [...this.#byKey.values()].filter((d) => Object.values(d.values).some((v) => v !== 0));
  }

  get size(): number {
    return this.#byKey.size;
  }

  clear(): void {
    this.#byKey.clear();
  }
}

export function upsertSql(d: Delta): { sql: string; params: Array<string | number> } {
  const keyCols = Object.keys(d.keys);
  const valCols = Object.keys(d.values);
  const cols = [...keyCols, ...valCols];
  const sql =
    `insert into ${d.table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}) ` +
    `on conflict (${keyCols.join(', ')}) do update set ${valCols.map((c) => `${c} = ${d.table}.${c} + excluded.${c}`).join(', ')}`;
  return { sql, params: [...Object.values(d.keys), ...Object.values(d.values)] };
}
