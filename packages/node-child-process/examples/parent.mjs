// Forks three children that log through one listener; one of them is killed with SIGKILL.
// Run from the repository root after `npx turbo run build`:
//   node packages/node-child-process/examples/parent.mjs [batched|sync]
import { QueueListener } from '@tributary/core';
import { channelClosed, forkProducer } from '@tributary/node-child-process';
import { stdoutSink } from '@tributary/sink-stdout';

const delivery = process.argv[2] === 'sync' ? 'sync' : 'batched';
const listener = new QueueListener({ sinks: [stdoutSink()] });
const child = new URL('./child.mjs', import.meta.url);

const workers = [1, 2, 3].map((index) => forkProducer(listener, child, [String(index)], { producer: `job${index}`, delivery }));
workers[2].on('message', (message) => {
  if (message === 'halfway') workers[2].kill('SIGKILL');
});

// Wait until the listener has everything each child wrote, then stop.
const ends = await Promise.all(workers.map((worker) => channelClosed(worker)));
const summary = await listener.stop();
const unknown = summary.producers.filter((producer) => producer.lostUnknownAfterSeq !== undefined);
const unknownText = unknown.map((producer) => `, ${producer.producer}: an unknown number after seq ${producer.lostUnknownAfterSeq}`).join('');
console.error(ends.map((end) => end.reason), `received ${summary.received}, lost ${summary.lost}${unknownText}, complete ${summary.complete}`);
