/**
 * The studio's WebAssembly modules (wasm-*-wat.ts, assembled into base64 in wasm-*-bytes.ts) run
 * inside tfjs's own memory: each imports it as `env.memory` and reads and writes tensors in place.
 * One instance per memory and module; where instantiation fails (the threaded build's memory is
 * shared, which the modules' plain memory import refuses) the caller keeps its other path.
 */

/** The part of tfjs-backend-wasm's BackendWasm that holds the Emscripten module. */
export interface WasmModuleHost {
  wasm?: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

/** tfjs's WebAssembly.Memory (the export's name depends on the build), or null off the wasm backend. */
export function tfjsWasmMemory(backend: unknown): WebAssembly.Memory | null {
  const wasm = (backend as WasmModuleHost | null)?.wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/**
 * A loader of one module: given a backend, the exports `pick` takes from the module's instance over
 * that backend's memory, or null (not the wasm backend, or a memory the module cannot import).
 */
export function studioWasmModule<T>(base64: string, pick: (exports: WebAssembly.Exports) => T): (backend: unknown) => T | null {
  const instances = new WeakMap<WebAssembly.Memory, T | null>();
  return (backend) => {
    const memory = tfjsWasmMemory(backend);
    if (memory === null) return null;
    if (!instances.has(memory)) {
      try {
        // Small modules: synchronous compilation is allowed on the main thread, in workers and in Node.
        const module = new WebAssembly.Module(Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0)));
        instances.set(memory, pick(new WebAssembly.Instance(module, { env: { memory } }).exports));
      } catch {
        instances.set(memory, null);
      }
    }
    return instances.get(memory) ?? null;
  };
}
