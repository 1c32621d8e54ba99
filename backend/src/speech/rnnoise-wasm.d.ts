// Types for @echogarden/rnnoise-wasm (an Emscripten module factory; the package ships none).
declare module '@echogarden/rnnoise-wasm' {
  const createRnnoiseModule: () => Promise<unknown>;
  export default createRnnoiseModule;
}
