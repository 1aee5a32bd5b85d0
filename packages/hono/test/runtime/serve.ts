/**
 * A real HTTP server on 127.0.0.1, port 0, with this runtime's own server: `@hono/node-server` on
 * Node, `Deno.serve` on Deno, `Bun.serve` on Bun.
 */
type Fetch = (request: Request) => Response | Promise<Response>;

/** A running server: its base URL and how to stop it. */
export interface LoopbackServer {
  readonly url: string;
  /** The server each runtime uses, for test names. */
  readonly kind: string;
  close(): Promise<void>;
}

interface DenoServe {
  serve(options: { port: number; hostname: string; onListen(): void }, handler: Fetch): { addr: { port: number }; shutdown(): Promise<void> };
}
interface BunServe {
  serve(options: { port: number; hostname: string; fetch: Fetch }): { port: number; stop(force: boolean): Promise<void> | void };
}

export async function serveOnLoopback(fetch: Fetch): Promise<LoopbackServer> {
  const deno = (globalThis as { Deno?: DenoServe }).Deno;
  if (deno !== undefined) {
    const server = deno.serve({ port: 0, hostname: '127.0.0.1', onListen: () => {} }, fetch);
    return { url: `http://127.0.0.1:${server.addr.port}`, kind: 'Deno.serve', close: () => server.shutdown() };
  }
  const bun = (globalThis as { Bun?: BunServe }).Bun;
  if (bun !== undefined) {
    const server = bun.serve({ port: 0, hostname: '127.0.0.1', fetch });
    return { url: `http://127.0.0.1:${server.port}`, kind: 'Bun.serve', close: async () => void (await server.stop(true)) };
  }
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        kind: '@hono/node-server',
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}
