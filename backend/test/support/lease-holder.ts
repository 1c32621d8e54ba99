// A child process that only competes for the routing lease and prints each change as
// `<ms since epoch> leader|standby`, so a test can SIGKILL it at any point.
import { RoutingLease } from '../../src/cluster/routing-lease';

const [url, schema, retry] = process.argv.slice(2);
const lease = new RoutingLease({ url: url!, schema: schema!, retryMs: Number(retry ?? 100), onChange: (leader) => console.log(`${Date.now()} ${leader ? 'leader' : 'standby'}`) });
lease.start();
console.log(`${Date.now()} started`);
setInterval(() => undefined, 1 << 30);
process.on('SIGTERM', () => void lease.release().then(() => process.exit(0)));
