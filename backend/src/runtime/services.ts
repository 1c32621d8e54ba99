// Wires the embedded product together: database, session log, CRM, knowledge base and a
// factory for conversations. The server, the scenario simulator and the tests all build
// their world here, so they run the same code paths.
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CrmDataset, KnowledgeArticle } from '../../../contracts/crm';
import { UserDirectory } from '../auth/users';
import { ClusterEventFeed, natsEventTransport, type EventFeed } from '../cluster/event-feed';
import { NatsLink } from '../cluster/nats-link';
import { RoutingLease } from '../cluster/routing-lease';
import { secureDatabaseFile, secureDataDir } from './data-dir';
import type { Brain, KnowledgeLookup } from '../brain/brain';
import { createBrain as createConfiguredBrain, createChatModel, type BrainExtras, type ChatModel } from '../brain/providers';
import { DEFAULT_POLICY, type PolicyConfig } from '../policy/policy';
import { ModelAssist } from '../assist/model-assist';
import { createTranslator, type TranslatorChoice } from '../translation/translator';
import type { AppConfig } from '../config/config';
import { Conversation, type StartOptions } from '../conversation/conversation';
import type { Crm } from '../crm/crm-port';
import { loadDemoDataset } from '../crm/demo-dataset';
import { SqliteCrm } from '../crm/sqlite-crm';
import { DEFAULT_KNOWLEDGE_DIR, loadArticlesFromDir } from '../knowledge/article-files';
import { KNOWLEDGE_CONFIDENCE_THRESHOLD, type KnowledgeBase } from '../knowledge/knowledge-base';
import { KnowledgeByLanguage } from '../knowledge/knowledge-by-language';
import { primaryTag } from '../languages/languages';
import { openDatabase, type OpenDatabaseOptions, type SwitchboardDb } from '../store/database';
import { SqlSessionStore, type SessionStore } from '../store/session-store';


/** How often a PostgreSQL store is asked whether it answers. */
const STORE_PROBE_MS = 2000;
export interface Services {
  config: AppConfig;
  db: SwitchboardDb;
  databaseFile: string;
  store: SessionStore;
  crm: Crm;
  users: UserDirectory;
  knowledge: KnowledgeBase;
  policy: PolicyConfig;
  /** The configured chat model (BRAIN_PROVIDER=openai | azure-openai), shared by every conversation. */
  chatModel: ChatModel | undefined;
  /** Translation for agents (transcript, brief, suggestions, spoken replies), or why it is off. */
  translation: TranslatorChoice;
  /** Agent assist written by the same model; undefined with the local brain (local assist only). */
  assist: ModelAssist | undefined;
  /** True when this start loaded the demo dataset into an empty store. */
  seededDemo: boolean;
  /** Live session events for agents and leads: the store itself, or the whole cluster with BUS=nats. */
  liveEvents: EventFeed;
  /** With BUS=nats: this backend's link to the others. */
  cluster?: { instanceId: string; link: NatsLink; feed: ClusterEventFeed; lease: RoutingLease };
  startConversation(opts: StartOptions): Promise<Conversation>;
  startOutboundConversation(opts: { callerId: string; agentId: string }): Promise<Conversation>;
  close(): Promise<void>;
}

export type Seed = 'demo-if-empty' | 'none' | { dataset: CrmDataset; articles: KnowledgeArticle[]; onlyFixtureArticles?: boolean };

export interface ServicesOptions {
  config: AppConfig;
  /** Defaults to DATA_DIR/switchboard.db; ':memory:' for an isolated store. Ignored with STORE=postgres. */
  databaseFile?: string;
  /** With STORE=postgres: keep every table in this schema (tests, side-by-side clusters). */
  databaseSchema?: string;
  /** With BUS=nats: the subject prefix shared by one cluster's backends (tests isolate runs with it). */
  busPrefix?: string;
  seed?: Seed;
}

export async function createServices(opts: ServicesOptions): Promise<Services> {
  const { config } = opts;
  const databaseFile = opts.databaseFile ?? join(resolve(config.DATA_DIR), 'switchboard.db');
  if (config.STORE === 'sqlite' && databaseFile !== ':memory:') {
    secureDataDir(opts.databaseFile ? dirname(resolve(databaseFile)) : resolve(config.DATA_DIR));
    secureDatabaseFile(databaseFile);
  }
  const db = await openDatabase(storeLocation(config, opts));
  // In a cluster every session records the backend holding it (cluster/desk-peers.ts, crash recovery).
  const clustered = config.BUS === 'nats' && config.DATABASE_URL !== undefined;
  const store = new SqlSessionStore(db, clustered ? { instanceId: instanceIdOf(config) } : {});
  // PostgreSQL can be lost at run time: notice it while idle (new calls then wait), and write
  // live calls' waiting events as soon as it is back (store/outage-spool.ts).
  const storeWatch = config.STORE === 'postgres' ? setInterval(() => void store.probe(), STORE_PROBE_MS) : undefined;
  storeWatch?.unref();
  const crm = new SqliteCrm(db);
  const users = new UserDirectory(db, config.TOKEN_TTL_HOURS);
  const seed = opts.seed ?? 'demo-if-empty';

  let seededDemo = false;
  let articles: KnowledgeArticle[];
  if (typeof seed === 'object') {
    await crm.importDataset(seed.dataset, seed.articles);
    articles = seed.onlyFixtureArticles ? seed.articles : await shippedPlusStored(config, crm);
  } else {
    if (seed === 'demo-if-empty' && config.DEMO_DATA && (await crm.isEmpty())) {
      await crm.importDataset(await loadDemoDataset());
      seededDemo = true;
    }
    articles = await shippedPlusStored(config, crm);
  }
  // Articles per language (front matter `language:`); the default language's are the main base.
  const byLanguage = new KnowledgeByLanguage(articles, config.languages.default.code);
  byLanguage.addProductNames(await crm.listProductNames());
  const knowledge = byLanguage.main;
  const cluster = await joinCluster(config, store, opts).catch(async (err: unknown) => {
    await db.destroy();
    throw err;
  });
  const lookup: KnowledgeLookup = {
    search: (question, limit) => knowledge.search(question, limit),
    confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD,
  };
  const policy: PolicyConfig = { ...DEFAULT_POLICY, maxTurns: config.MAX_AI_TURNS, policyTopics: config.policyTopics };
  const chatModel = createChatModel(config);
  const assist = chatModel ? new ModelAssist({ chat: chatModel, timeoutMs: config.ASSIST_TIMEOUT_MS, dispositions: config.DISPOSITIONS }) : undefined;

  return {
    config,
    db,
    databaseFile,
    store,
    crm,
    users,
    knowledge,
    policy,
    chatModel,
    assist,
    translation: createTranslator(config, chatModel),
    seededDemo,
    liveEvents: cluster?.feed ?? store,
    ...(cluster ? { cluster } : {}),
    startConversation: (startOpts) =>
      Conversation.start(
        {
          store,
          crm,
          knowledge: lookup,
          brain: createBrain(config, { chatModel }),
          policy,
          companyName: config.COMPANY_NAME,
          resumeWindowHours: config.CALLBACK_RESUME_HOURS,
          languages: config.languages,
          knowledgeFor: (language) => byLanguage.lookupFor(language),
          // Azure voices speak every served language; flite speaks English only.
          speaks: (language) => startOpts.channel === 'text' || config.TTS_PROVIDER === 'azure' || primaryTag(language) === 'en',
        },
        startOpts,
      ),
    startOutboundConversation: (outboundOpts) =>
      Conversation.startOutbound(
        { store, crm, knowledge: lookup, brain: createBrain(config, { chatModel }), policy, companyName: config.COMPANY_NAME },
        outboundOpts,
      ),
    close: async () => {
      clearInterval(storeWatch);
      store.close();
      cluster?.feed.close();
      await cluster?.lease.release();
      await cluster?.link.close();
      await db.destroy();
    },
  };
}

/** BUS=nats: connect to NATS and follow the cluster's session events. */
async function joinCluster(config: AppConfig, store: SessionStore, opts: ServicesOptions): Promise<Services['cluster']> {
  if (config.BUS !== 'nats' || config.DATABASE_URL === undefined) return undefined;
  const instanceId = instanceIdOf(config);
  const link = await NatsLink.connect({ url: config.NATS_URL, instanceId, prefix: opts.busPrefix ?? config.NATS_SUBJECT_PREFIX });
  const schema = opts.databaseSchema ?? config.DATABASE_SCHEMA;
  const lease = new RoutingLease({ url: config.DATABASE_URL, ...(schema !== undefined ? { schema } : {}) });
  lease.start();
  return { instanceId, link, feed: new ClusterEventFeed(store, natsEventTransport(link)), lease };
}

function instanceIdOf(config: AppConfig): string {
  return config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
}

/** Where the store lives: the SQLite file (the default) or the PostgreSQL database. */
export function storeLocation(config: AppConfig, opts: Pick<ServicesOptions, 'databaseFile' | 'databaseSchema'> = {}): OpenDatabaseOptions {
  if (config.STORE === 'postgres' && config.DATABASE_URL !== undefined) {
    const schema = opts.databaseSchema ?? config.DATABASE_SCHEMA;
    return { url: config.DATABASE_URL, ...(schema !== undefined ? { schema } : {}) };
  }
  return { filename: opts.databaseFile ?? join(resolve(config.DATA_DIR), 'switchboard.db') };
}

/** A fresh brain per conversation: per-call memory never leaks between calls. */
export function createBrain(config: AppConfig, extras: BrainExtras = {}): Brain {
  return createConfiguredBrain(config, extras);
}

async function shippedPlusStored(config: AppConfig, crm: Crm): Promise<KnowledgeArticle[]> {
  const shipped = await loadArticlesFromDir(config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const stored = await crm.listStoredArticles();
  const byId = new Map(shipped.map((a) => [a.id, a]));
  for (const a of stored) byId.set(a.id, a);
  return [...byId.values()];
}
