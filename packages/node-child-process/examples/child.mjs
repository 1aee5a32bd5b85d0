// A forked child: one call gives it a logger connected to the parent's listener.
import { connectToParent } from '@tributary/node-child-process';

const log = connectToParent({ name: 'job' });
const job = Number(process.argv[2]);
for (let step = 1; step <= 5; step++) {
  log.info('step done', { job, step });
  if (job === 3 && step === 3) {
    process.send('halfway'); // the parent kills this one now
    setInterval(() => {}, 1_000); // stay alive until then
    await new Promise(() => {});
  }
}
process.exit(0); // nothing is lost: queued records are written on the way out
