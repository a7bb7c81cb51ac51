/** What every verb gets: the root, output streams, and the image store (opened on demand). */
import type { ImageStore } from '../images/image-store.js';
import { openEngine, type NodeEngine } from '../node/engine.js';
import { openImageStore } from '../node/image-store.js';
import { EngineError } from './errors.js';

export interface Output {
  write(text: string | Uint8Array): unknown;
  isTTY?: boolean;
}

export interface CliContext {
  root: string;
  stdout: Output;
  stderr: Output;
  stdin: AsyncIterable<Uint8Array> & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  store(): Promise<ImageStore>;
  /** The engine over this root's store and container records (opened on demand). */
  engine(): Promise<NodeEngine>;
  /** Stop what the verb left running (its engine's runtimes). */
  close(): Promise<void>;
}

export function makeContext(root: string, env: NodeJS.ProcessEnv = process.env): CliContext {
  let store: Promise<ImageStore> | undefined;
  let engine: Promise<NodeEngine> | undefined;
  return {
    root,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    store() {
      store ??= openImageStore(root).catch((e: unknown) => {
        throw new EngineError(
          `cannot open the image store in ${root}: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
      return store;
    },
    engine() {
      engine ??= this.store().then((s) =>
        openEngine(root, s, { onExecFormat: (m) => void process.stderr.write(`berth: ${m}\n`) }),
      );
      return engine;
    },
    async close() {
      if (engine) await (await engine).close();
    },
  };
}

/** A verb: parses its own arguments, returns the exit code. */
export type Command = (ctx: CliContext, argv: string[]) => Promise<number>;

export interface VerbInfo {
  name: string;
  summary: string;
  run: Command;
}
