import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { startTimer, stopTimer } from '@tributary/core/sink';
import type { ResolvedSocketSinkOptions } from '../options.ts';

/** A stream socket being opened, and the event that says it is ready for records. */
export interface OpeningStream {
  readonly socket: Socket;
  readonly readyEvent: 'connect' | 'secureConnect';
}

/** Opens a TCP, TLS or Unix stream socket to the collector (the runtime's node:net / node:tls). */
export function openStream(options: ResolvedSocketSinkOptions): OpeningStream {
  switch (options.transport) {
    case 'unix':
      return { socket: netConnect({ path: options.path }), readyEvent: 'connect' };
    case 'tls':
      return {
        socket: tlsConnect({ servername: isIpAddress(options.host) ? undefined : options.host, ...options.tls, host: options.host, port: options.port }),
        readyEvent: 'secureConnect',
      };
    default:
      return { socket: netConnect({ host: options.host, port: options.port }), readyEvent: 'connect' };
  }
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/**
 * Ends a socket gracefully (FIN after the last byte), destroying it if that takes too long. True
 * when the collector then closed its side without an error: it read everything up to our FIN.
 */
export function endSocket(socket: Socket, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) {
      resolve(false);
      return;
    }
    let peerEnded = false;
    socket.once('end', () => {
      peerEnded = true;
    });
    const timer = startTimer(() => {
      socket.destroy();
      resolve(false);
    }, timeoutMs);
    socket.once('close', (hadError: boolean) => {
      stopTimer(timer);
      resolve(peerEnded && !hadError);
    });
    socket.end();
  });
}
