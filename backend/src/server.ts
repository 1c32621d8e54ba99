// Starts the backend on embedded defaults: loads and validates configuration, opens the
// store (seeding demo data into an empty one), creates the first admin if asked, prints
// which providers are active and where data lives, then listens.
import { resolve } from 'node:path';
import { buildApp } from './app';
import { probeChatModel } from './brain/providers';
import { ConfigError, loadConfig } from './config/config';
import { createServices } from './runtime/services';
import { callCapacity, createSpeechEngines, describeLanguages, describeVoices } from './runtime/speech-engines';
import { createDemoAccounts } from './runtime/demo-accounts';
import { describeUrl } from './store/database';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`switchboard: ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const services = await createServices({ config });
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD && !(await services.users.findByEmail(config.ADMIN_EMAIL))) {
    await services.users.create({ email: config.ADMIN_EMAIL, name: 'Administrator', role: 'admin', password: config.ADMIN_PASSWORD });
    console.log(`switchboard: created admin ${config.ADMIN_EMAIL}`);
  }
  const demoAccounts = await createDemoAccounts(services, config);
  const speech = await createSpeechEngines(config);
  const app = await buildApp(services, { logger: { level: config.LOG_LEVEL }, speech });
  // Models and the fixed lines' audio load while the server starts listening, not on the first call.
  const warming = speech.warm?.().catch((err: unknown) => console.error(`switchboard: speech warm-up failed: ${String(err)}`));
  const banner = [
    `switchboard: data in ${resolve(config.DATA_DIR)} (${config.STORE === 'postgres' && config.DATABASE_URL ? describeUrl(config.DATABASE_URL) : services.databaseFile})${services.seededDemo ? ', demo data loaded' : ''}`,
    `switchboard: providers: brain=${config.BRAIN_PROVIDER}, stt=${config.STT_PROVIDER}, tts=${config.TTS_PROVIDER} (${describeVoices(config)}), crm=${config.STORE}, store=${config.STORE}, bus=${config.BUS === 'nats' ? `nats (${services.cluster?.instanceId ?? ''})` : 'in-process'}`,
    `switchboard: knowledge base: ${services.knowledge.size} articles`,
    `switchboard: ${describeLanguages(config, services.translation)}`,
    ...speech.statuses.map((s) => `switchboard: speech engine ${s.name}: ${s.available ? 'ready' : `MISSING — ${s.problem ?? ''}${s.howToInstall ? ` Install: ${s.howToInstall}` : ''}`}`),
    ((c) => `switchboard: capacity: ${c.capacity} concurrent calls (${c.source}); calls beyond it hear "all our lines are busy"`)(callCapacity(config, speech)),
  ];
  if (services.chatModel) {
    banner.push(`switchboard: model: ${services.chatModel.provider} ${services.chatModel.model} at ${services.chatModel.endpoint}`);
    const problem = await probeChatModel(services.chatModel);
    if (problem) banner.push(`switchboard: WARNING — ${problem}`);
  }
  const { ended, toWrapUp, recordingsRepaired } = app.recovery;
  if (ended.length + toWrapUp.length > 0) {
    banner.push(
      `switchboard: recovered from a crash: ${ended.length} call(s) ended (system_restart), ${toWrapUp.length} returned to their agent for wrap-up, ${recordingsRepaired.length} recording(s) repaired`,
    );
  }
  if ((await services.users.count()) === 0) {
    banner.push('switchboard: no users yet. Set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create the first admin.');
  }
  if (demoAccounts.length > 0) {
    banner.push('switchboard: demo accounts created with random passwords (shown once; change them in Users):');
    for (const a of demoAccounts) banner.push(`switchboard:   ${a.role.padEnd(5)} ${a.email}  password ${a.password}`);
  }
  for (const line of banner) console.log(line);
  void warming;
  // First signal: drain (no new calls, live ones finish, up to DRAIN_TIMEOUT_MS); a second
  // signal stops at once.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      console.log(`switchboard: ${signal} again, stopping now`);
      process.exit(1);
    }
    stopping = true;
    // Hand routing to a standby at once; the calls this backend holds finish here.
    await services.cluster?.lease.release();
    console.log(`switchboard: ${signal}, draining: no new calls; ${app.drain.activeCalls()} live call(s) may finish (up to ${config.DRAIN_TIMEOUT_MS} ms)`);
    const left = await app.drain.drain(config.DRAIN_TIMEOUT_MS);
    if (left > 0) console.log(`switchboard: drain deadline reached with ${left} call(s) live; ending them`);
    await app.close();
    await speech.close?.();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  // Agents' apps join a call's audio on the backend holding the call (call.assigned names it).
  if (app.peers) app.peers.mediaUrl = config.INSTANCE_URL ?? address;
  console.log(`switchboard: listening on ${address} — caller page ${address}/call`);
}

main().catch((err: unknown) => {
  console.error('switchboard: failed to start:', err);
  process.exit(1);
});
