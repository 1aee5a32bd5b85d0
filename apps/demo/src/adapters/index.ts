import type { DemoAdapter } from '../types.ts';
import { inProcessAdapter } from './in-process.ts';

/** Every adapter the demo can run, in table order. */
export const demoAdapters: readonly DemoAdapter[] = [inProcessAdapter];
