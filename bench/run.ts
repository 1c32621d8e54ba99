// `npm run bench [-- <suite> [options]]`: runs one benchmark suite (or all) and prints its
// figures as one JSON object on the last line. Suites measure; tests assert behaviour.
const SUITES: Record<string, () => Promise<{ run(args: string[]): Promise<Record<string, unknown>> }>> = {
  voice: () => import('./suites/voice'),
  handoff: () => import('./suites/handoff'),
  'transcript-render': () => import('./suites/transcript-render'),
  dashboards: () => import('./suites/dashboards'),
  stt: () => import('./suites/stt'),
  brain: () => import('./suites/brain'),
  load: () => import('./suites/load'),
  nlu: () => import('./suites/nlu'),
  cluster: () => import('./suites/cluster'),
  redaction: () => import('./suites/redaction'),
  twilio: () => import('./suites/twilio'),
  'azure-speech': () => import('./suites/azure-speech'),
  supervisor: () => import('./suites/supervisor'),
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (name && !(name in SUITES)) {
    console.error(`Unknown benchmark suite "${name}". Available: ${Object.keys(SUITES).join(', ')}.`);
    process.exit(2);
  }
  const names = name ? [name] : Object.keys(SUITES);
  const results: Record<string, unknown> = {};
  for (const suite of names) {
    const mod = await SUITES[suite]!();
    results[suite] = await mod.run(args);
  }
  const figures = name ? results[name] : results;
  console.log(JSON.stringify(figures));
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error('benchmark failed:', err);
  process.exit(1);
});
