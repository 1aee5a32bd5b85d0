import type { DemoSink } from '../types.ts';
import { stdoutDemoSink } from './stdout.ts';

/** Every sink the demo can write to, in table order. */
export const demoSinks: readonly DemoSink[] = [stdoutDemoSink];
