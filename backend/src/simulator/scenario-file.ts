// Scenario files: the YAML format the simulator runs, and the loader that turns a file into
// a checked Scenario. Every mistake a scenario author can make is reported with the file,
// the line and what is allowed there, because a scenario that silently checks nothing is
// worse than no scenario. Vocabulary (tools, escalation reasons, CRM records) comes from
// contracts/, so scenarios are checked against the same lists as the product.
import { readFile } from 'node:fs/promises';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { z } from 'zod';
import { EscalationReason, ToolName, escalationReasons, toolNames } from '../../../contracts/conversation';
import { Customer, KnowledgeArticle, Order, Ticket, type CrmDataset } from '../../../contracts/crm';
import { SESSION_EVENT_TYPES, type SessionEventType } from '../../../contracts/events';

export const EVENT_TYPES = SESSION_EVENT_TYPES;

export const SCENARIO_KEYS = [
  'name',
  'description',
  'caller',
  'fixtures',
  'greeting_expect',
  'turns',
] as const;
export const CALLER_KEYS = ['phone', 'name'] as const;
export const FIXTURE_KEYS = ['customers', 'orders', 'tickets', 'knowledge'] as const;
export const TURN_KEYS = ['caller', 'dtmf', 'expect'] as const;
export const EXPECTATION_KEYS = [
  'ai_says',
  'ai_not_says',
  'verified',
  'escalated',
  'escalation_reason',
  'tools',
  'ended',
  'events',
  'citations',
] as const;
export type ExpectationKey = (typeof EXPECTATION_KEYS)[number];

/** One check against one AI turn; a list in the file (ai_says, tools, …) becomes one check per item. */
export type Expectation = { line: number } & (
  | { key: 'ai_says' | 'ai_not_says'; pattern: RegExp }
  | { key: 'verified' | 'escalated' | 'ended'; value: boolean }
  | { key: 'escalation_reason'; value: EscalationReason }
  | { key: 'tools'; value: ToolName }
  | { key: 'events'; value: SessionEventType }
  | { key: 'citations'; value: string }
);

export type ScenarioInput = { kind: 'text'; text: string } | { kind: 'dtmf'; digits: string };

export interface ScenarioTurn {
  /** 1-based position in `turns`. */
  index: number;
  line: number;
  input: ScenarioInput;
  expect: Expectation[];
}

export interface ScenarioFixtures {
  dataset: CrmDataset;
  /** Present only when the file lists knowledge: then these are the only articles. */
  knowledge?: KnowledgeArticle[];
}

export interface Scenario {
  file: string;
  name: string;
  description?: string;
  caller: { phone: string; name?: string };
  fixtures?: ScenarioFixtures;
  greetingExpect: Expectation[];
  turns: ScenarioTurn[];
}

/** A problem in a scenario file, located so the author can go straight to it. */
export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.name = 'ScenarioFileError';
  }
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ScenarioFileError(file, undefined, `cannot read the file (${reason}). Check the path.`);
  }
  return parseScenario(text, file);
}

/** Parses and checks one scenario; `file` is only used in messages. */
export function parseScenario(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  // Source tokens let us read what the author typed: `phone: +15550100001` or `dtmf: 0`
  // would otherwise arrive as numbers and lose their plus sign or leading zeros.
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const reason = firstError.message.split(/ at line \d+/)[0]?.trim() ?? firstError.message;
    // YAML notices an unclosed quote only where the file ends; point at where it opened.
    const quoteLine = /quote/i.test(reason) ? unclosedQuoteLine(text) : undefined;
    const line = quoteLine ?? firstError.linePos?.[0].line;
    const hint = quoteLine
      ? 'Close the quote on this line.'
      : 'Fix the syntax on this line (or just above it).';
    throw new ScenarioFileError(file, line, `invalid YAML: ${reason}. ${hint}`);
  }
  return new ScenarioReader(file, doc, lineCounter).read();
}

class ScenarioReader {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  read(): Scenario {
    const root = this.doc.contents;
    if (!isMap(root)) {
      throw this.fail(
        root,
        'a scenario file must be a mapping with name, caller and turns. See docs/scenarios.md for an example.',
      );
    }
    this.checkKeys(root, SCENARIO_KEYS, 'scenario');
    const name = this.requiredString(root, 'name', 'scenario');
    const description = this.optionalString(root, 'description');
    const caller = this.readCaller(root);
    const fixturesNode = root.get('fixtures', true);
    const fixtures =
      fixturesNode === undefined || isNull(fixturesNode) ? undefined : this.readFixtures(fixturesNode);
    const greetingNode = root.get('greeting_expect', true);
    const greetingExpect =
      greetingNode === undefined ? [] : this.readExpectations(greetingNode, 'greeting_expect');

    const turnsNode = root.get('turns', true);
    if (turnsNode === undefined)
      throw this.fail(root, 'missing "turns": list what the caller says, e.g. turns: [{ caller: "Hi" }].');
    if (!isSeq(turnsNode) || turnsNode.items.length === 0) {
      throw this.fail(
        turnsNode,
        '"turns" must be a non-empty list of turns, each { caller: "..." } or { dtmf: "0" }.',
      );
    }
    const turns = turnsNode.items.map((item, i) => this.readTurn(item as YamlNode, i + 1));
    return {
      file: this.file,
      name,
      ...(description !== undefined ? { description } : {}),
      caller,
      ...(fixtures ? { fixtures } : {}),
      greetingExpect,
      turns,
    };
  }

  private readCaller(root: YAMLMap): Scenario['caller'] {
    const node = root.get('caller', true);
    if (node === undefined)
      throw this.fail(root, 'missing "caller": give the caller ID, e.g. caller: { phone: "+15550100001" }.');
    if (!isMap(node))
      throw this.fail(node, '"caller" must be a mapping such as { phone: "+15550100001", name: Dana }.');
    this.checkKeys(node, CALLER_KEYS, 'caller');
    const phone = this.requiredString(node, 'phone', 'caller');
    const name = this.optionalString(node, 'name');
    return { phone, ...(name !== undefined ? { name } : {}) };
  }

  private readFixtures(node: YamlNode): ScenarioFixtures {
    if (!isMap(node))
      throw this.fail(
        node,
        '"fixtures" must be a mapping with customers, orders, tickets and/or knowledge lists.',
      );
    this.checkKeys(node, FIXTURE_KEYS, 'fixtures');
    const list = <S extends z.ZodType>(key: string, schema: S): Array<z.output<S>> => {
      const listNode = node.get(key, true);
      if (listNode === undefined || isNull(listNode)) return [];
      if (!isSeq(listNode)) throw this.fail(listNode, `fixtures.${key} must be a list of records.`);
      return listNode.items.map((item, i) => {
        const checked = schema.safeParse((item as YamlNode).toJS(this.doc));
        if (checked.success) return checked.data;
        const issue = checked.error.issues[0]!;
        const path = [key, i, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
        const at = this.deepest(node, path.slice(0));
        const field = `fixtures.${key}[${i}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
        const hint =
          issue.code === 'invalid_type' &&
          issue.expected === 'string' &&
          isScalar(at) &&
          typeof at.value === 'number'
            ? ` Put the value in quotes, e.g. "${sourceOf(at)}".`
            : '';
        throw this.fail(at, `${field}: ${issue.message}.${hint}`);
      });
    };
    const customers = list('customers', Customer.strict());
    const orders = list('orders', Order.strict());
    const tickets = list('tickets', Ticket.strict());
    const knowledgeNode = node.get('knowledge', true);
    const knowledge =
      knowledgeNode === undefined || isNull(knowledgeNode)
        ? undefined
        : list('knowledge', KnowledgeArticle.strict());

    // A record that points at nobody would make the scenario test nothing; say so now.
    const customerIds = new Set(customers.map((c) => c.id));
    for (const [key, records] of [
      ['orders', orders],
      ['tickets', tickets],
    ] as const) {
      records.forEach((r, i) => {
        if (!customerIds.has(r.customerId)) {
          throw this.fail(
            this.deepest(node, [key, i, 'customerId']),
            `fixtures.${key}[${i}].customerId: no customer "${r.customerId}" in fixtures.customers. Add that customer or fix the id.`,
          );
        }
      });
    }
    return { dataset: { customers, orders, tickets }, ...(knowledge ? { knowledge } : {}) };
  }

  private readTurn(node: YamlNode, index: number): ScenarioTurn {
    const where = `turns[${index - 1}]`;
    if (!isMap(node))
      throw this.fail(node, `${where} must be a mapping such as { caller: "Hi" } or { dtmf: "0" }.`);
    if (node.has('events')) {
      throw this.fail(
        this.keyNode(node, 'events'),
        `${where}: "events" is an expectation; put it under expect, e.g. expect: { events: [knowledge.gap] }.`,
      );
    }
    this.checkKeys(node, TURN_KEYS, where);
    const hasCaller = node.has('caller');
    const hasDtmf = node.has('dtmf');
    if (hasCaller === hasDtmf) {
      throw this.fail(
        node,
        hasCaller
          ? `${where} has both "caller" and "dtmf"; a turn is either words or keypresses. Split it into two turns.`
          : `${where} needs "caller" (what the caller says) or "dtmf" (keys pressed, e.g. dtmf: "0").`,
      );
    }
    let input: ScenarioInput;
    if (hasCaller) {
      input = { kind: 'text', text: this.requiredString(node, 'caller', where) };
    } else {
      const digits = this.requiredString(node, 'dtmf', where);
      if (!/^[0-9*#]+$/.test(digits)) {
        throw this.fail(
          node.get('dtmf', true) as YamlNode,
          `${where}.dtmf "${digits}" must be keypad keys: digits, * or #.`,
        );
      }
      input = { kind: 'dtmf', digits };
    }
    const expectNode = node.get('expect', true);
    const expect =
      expectNode === undefined ? [] : this.readExpectations(expectNode as YamlNode, `${where}.expect`);
    return { index, line: this.lineOf(node), input, expect };
  }

  private readExpectations(node: YamlNode, where: string): Expectation[] {
    if (!isMap(node))
      throw this.fail(
        node,
        `${where} must be a mapping of checks, e.g. { ai_says: ["shipped"], verified: true }.`,
      );
    this.checkKeys(node, EXPECTATION_KEYS, where);
    const out: Expectation[] = [];
    for (const pair of node.items) {
      const key = this.keyName(pair) as ExpectationKey;
      const value = pair.value as YamlNode | null;
      const line = this.lineOf(value ?? (pair.key as YamlNode));
      switch (key) {
        case 'ai_says':
        case 'ai_not_says':
          for (const item of this.stringList(value, pair, `${where}.${key}`)) {
            out.push({
              key,
              pattern: this.regex(item.text, item.node, `${where}.${key}`),
              line: this.lineOf(item.node),
            });
          }
          break;
        case 'verified':
        case 'escalated':
        case 'ended':
          if (!isScalar(value) || typeof value.value !== 'boolean') {
            throw this.fail(value ?? (pair.key as YamlNode), `${where}.${key} must be true or false.`);
          }
          out.push({ key, value: value.value, line });
          break;
        case 'escalation_reason': {
          const text = this.scalarText(value, `${where}.${key}`, pair);
          const parsed = EscalationReason.safeParse(text);
          if (!parsed.success) {
            throw this.fail(
              value!,
              `${where}.escalation_reason: unknown escalation reason "${text}". Valid reasons: ${escalationReasons.join(', ')}.`,
            );
          }
          out.push({ key, value: parsed.data, line });
          break;
        }
        case 'tools':
          for (const item of this.stringList(value, pair, `${where}.tools`)) {
            const parsed = ToolName.safeParse(item.text);
            if (!parsed.success) {
              throw this.fail(
                item.node,
                `${where}.tools: unknown tool "${item.text}". Valid tools: ${toolNames.join(', ')}.`,
              );
            }
            out.push({ key, value: parsed.data, line: this.lineOf(item.node) });
          }
          break;
        case 'events':
          for (const item of this.stringList(value, pair, `${where}.events`)) {
            if (!(EVENT_TYPES as string[]).includes(item.text)) {
              throw this.fail(
                item.node,
                `${where}.events: unknown event type "${item.text}". Valid event types: ${EVENT_TYPES.join(', ')}.`,
              );
            }
            out.push({ key, value: item.text as SessionEventType, line: this.lineOf(item.node) });
          }
          break;
        case 'citations':
          for (const item of this.stringList(value, pair, `${where}.citations`)) {
            out.push({ key, value: item.text, line: this.lineOf(item.node) });
          }
          break;
      }
    }
    return out;
  }

  /** A single string or a list of strings (`ai_says: shipped` and `ai_says: [shipped]` both work). */
  private stringList(
    value: YamlNode | null,
    pair: Pair,
    where: string,
  ): Array<{ text: string; node: YamlNode }> {
    if (isSeq(value)) {
      if (value.items.length === 0)
        throw this.fail(value, `${where} is an empty list; list at least one value or remove the key.`);
      return value.items.map((item) => ({
        text: this.scalarText(item as YamlNode, where, pair),
        node: item as YamlNode,
      }));
    }
    return [{ text: this.scalarText(value, where, pair), node: value ?? (pair.key as YamlNode) }];
  }

  private regex(source: string, node: YamlNode, where: string): RegExp {
    try {
      return new RegExp(source, 'i');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw this.fail(
        node,
        `${where}: "${source}" is not a valid regular expression (${reason}). Escape special characters such as ( ) [ ] ? + * with a backslash.`,
      );
    }
  }

  private checkKeys(map: YAMLMap, allowed: readonly string[], where: string): void {
    for (const pair of map.items) {
      const key = this.keyName(pair);
      if (!allowed.includes(key)) {
        throw this.fail(
          pair.key as YamlNode,
          `unknown key "${key}" in ${where}. Valid keys: ${allowed.join(', ')}.`,
        );
      }
    }
  }

  private keyName(pair: Pair): string {
    if (isScalar(pair.key)) return String(pair.key.value);
    throw this.fail(pair.key as YamlNode, 'keys must be plain words such as caller or expect.');
  }

  private keyNode(map: YAMLMap, key: string): YamlNode {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    return (pair?.key as YamlNode | undefined) ?? map;
  }

  private requiredString(map: YAMLMap, key: string, where: string): string {
    const node = map.get(key, true) as YamlNode | undefined;
    if (node === undefined) throw this.fail(map, `${where} is missing "${key}".`);
    const text = this.scalarText(node, `${where}.${key}`);
    if (text.trim() === '') throw this.fail(node, `${where}.${key} must not be empty.`);
    return text;
  }

  private optionalString(map: YAMLMap, key: string): string | undefined {
    const node = map.get(key, true) as YamlNode | undefined;
    return node === undefined || isNull(node) ? undefined : this.scalarText(node, key);
  }

  /** The text the author wrote for a scalar, whatever type YAML would give it. */
  private scalarText(node: YamlNode | null | undefined, where: string, pair?: Pair): string {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      throw this.fail(node ?? (pair?.key as YamlNode | undefined), `${where} must be a text value.`);
    }
    return typeof node.value === 'string' ? node.value : sourceOf(node);
  }

  /** The node at `path` inside `from`, or the deepest ancestor that exists (for best-effort lines). */
  private deepest(from: YamlNode, path: Array<string | number>): YamlNode {
    let node: YamlNode = from;
    for (const step of path) {
      if (!isMap(node) && !isSeq(node)) break;
      const next = node.get(step, true) as YamlNode | undefined;
      if (next === undefined || next === null) break;
      node = next;
    }
    return node;
  }

  private lineOf(node: YamlNode | null | undefined): number {
    const start = node?.range?.[0];
    return start === undefined ? 1 : this.lines.linePos(start).line;
  }

  private fail(node: YamlNode | null | undefined, detail: string): ScenarioFileError {
    return new ScenarioFileError(this.file, node ? this.lineOf(node) : undefined, detail);
  }
}

function isNull(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

function sourceOf(node: YamlNode): string {
  const token = node.srcToken;
  if (token && 'source' in token && typeof token.source === 'string') return token.source;
  return isScalar(node) ? String(node.value) : '';
}

/** The first line that opens a double-quoted string and does not close it (best effort). */
function unclosedQuoteLine(text: string): number | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let open = false;
    const line = lines[i]!;
    for (let j = 0; j < line.length; j++) {
      const ch = line[j];
      if (ch === '\\' && open) j++;
      else if (ch === '"') open = !open;
      else if (ch === '#' && !open && (j === 0 || /\s/.test(line[j - 1]!))) break;
    }
    if (open) return i + 1;
  }
  return undefined;
}
