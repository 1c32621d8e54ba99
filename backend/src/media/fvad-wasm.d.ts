// Typings for @echogarden/fvad-wasm, which ships none: an Emscripten factory that resolves to
// the module object. vad.ts narrows the result to the functions it calls.
declare module '@echogarden/fvad-wasm' {
  const createFvadModule: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default createFvadModule;
}
