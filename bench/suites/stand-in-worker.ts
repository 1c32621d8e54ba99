// Runs the OpenAI-compatible stand-in in a worker thread for the brain benchmark, so the time
// it sees a connection close is not delayed by the backend's own work on the main thread.
// Times are absolute (performance.timeOrigin + now) so both threads share one clock.
import { parentPort, workerData } from 'node:worker_threads';
import { OpenAiStandIn, type StandInOptions } from '../../backend/test/support/openai-stand-in';

const abs = (t: number) => performance.timeOrigin + t;
const standIn = await OpenAiStandIn.start(workerData as StandInOptions);
parentPort!.postMessage({ type: 'ready', baseUrl: standIn.baseUrl });
parentPort!.on('message', (message: { type: 'records' | 'close' }) => {
  if (message.type === 'records') {
    parentPort!.postMessage({
      type: 'records',
      records: standIn.requests.map((r) => ({ tokenSentAt: r.tokenSentAt.map(abs), closedAt: r.closedAtPerf === undefined ? undefined : abs(r.closedAtPerf), aborted: r.aborted })),
    });
  } else {
    void standIn.close().then(() => parentPort!.close());
  }
});
