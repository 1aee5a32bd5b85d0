// Forks three children that log through one listener; one of them is killed with SIGKILL.
// Run from the repository root after `npx turbo run build`:
//   node packages/node-child-process/examples/parent.mjs [batched|sync]
import { QueueListener } from '@tributary/core';
import { channelClosed, forkProducer } from '@tributary/node-child-process';
import { stdoutSink } from '@tributary/sink-stdout';

const delivery = process.argv[2] === 'sync' ? 'sync' : 'batched';
const listener = new QueueListener({ sinks: [stdoutSink()] });
const child = new URL('./child.mjs', import.meta.url);

// Each call returns the connected producer: `producer`, `exited`, `stop()`, `terminate()` and the `child`.
const jobs = [1, 2, 3].map((index) => forkProducer(listener, child, [String(index)], { producer: `job${index}`, delivery }));
jobs[2].child.on('message', (message) => {
  if (message === 'halfway') jobs[2].child.kill('SIGKILL');
});

// Wait until the listener has everything each child wrote (`exited`: how each ended), then stop.
const exits = await Promise.all(jobs.map((job) => job.exited));
const ends = await Promise.all(jobs.map((job) => channelClosed(job.child)));
const summary = await listener.stop();
const unknown = summary.producers.filter((producer) => producer.lostUnknownAfterSeq !== undefined);
const unknownText = unknown.map((producer) => `, ${producer.producer}: an unknown number after seq ${producer.lostUnknownAfterSeq}`).join('');
console.error(exits.map((exit) => `${exit.reason} at seq ${exit.lastSeq}`).join(', '));
console.error(
  ends.map((end) => end.reason),
  `received ${summary.received}, lost ${summary.lost}${unknownText}, complete ${summary.complete}`,
);
