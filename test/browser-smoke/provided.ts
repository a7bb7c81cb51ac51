/**
 * Values that vitest.config.ts hands each project through `provide`; read them with
 * `inject('berthEnvironment')` from 'vitest'. Import this file (for its types) where used.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Which vitest project runs the test file: Node (forks) or headless Chromium. */
    berthEnvironment: 'node' | 'chromium';
  }
}

export {};
