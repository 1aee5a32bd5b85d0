import { runtime } from '@tributary/core/adapter';
import { bunDriver } from './bun.ts';
import { denoDriver } from './deno.ts';
import { nodeDriver } from './node.ts';
import type { SocketDriver } from './types.ts';

/** The socket driver of the runtime this code runs on. */
export function currentDriver(): SocketDriver {
  if (runtime === 'deno') return denoDriver;
  if (runtime === 'bun') return bunDriver;
  return nodeDriver;
}
