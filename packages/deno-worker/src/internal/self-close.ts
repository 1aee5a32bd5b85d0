/**
 * Calls `hook` synchronously when the worker calls `self.close()`, just before it closes: Deno runs
 * no exit hook then, so an unconnected worker's logger would lose what it holds without a word.
 * Wraps the worker's own `close` (inside a Web Worker only); returns a remover (the wrapper then
 * just closes). Never throws.
 */
export function beforeSelfClose(hook: () => void): () => void {
  const scope = globalThis as { close?: (this: unknown) => void };
  const close = scope.close;
  if (typeof close !== 'function') return () => {};
  let active = true;
  try {
    scope.close = function closeAfterHook(this: unknown): void {
      if (active) {
        active = false;
        try {
          hook();
        } catch {
          // the close goes on
        }
      }
      close.call(this ?? globalThis);
    };
  } catch {
    return () => {};
  }
  return () => {
    active = false;
  };
}
