import type { DemoSink } from '../types.ts';
import { fileDemoSink } from './file.ts';
import { otlpDemoSink } from './otlp.ts';
import { rotatingFileDemoSink } from './rotating-file.ts';
import { socketDemoSink } from './socket.ts';
import { stdoutDemoSink } from './stdout.ts';

/** Every sink the demo can write to, in table order. */
export const demoSinks: readonly DemoSink[] = [stdoutDemoSink, fileDemoSink, rotatingFileDemoSink, socketDemoSink, otlpDemoSink];
