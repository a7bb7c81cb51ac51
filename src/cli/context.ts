/** What every verb gets: the root, output streams, and the image store (opened on demand). */
import type { ImageStore } from '../images/image-store.js';
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
}

export function makeContext(root: string, env: NodeJS.ProcessEnv = process.env): CliContext {
  let store: Promise<ImageStore> | undefined;
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
  };
}

/** A verb: parses its own arguments, returns the exit code. */
export type Command = (ctx: CliContext, argv: string[]) => Promise<number>;

export interface VerbInfo {
  name: string;
  summary: string;
  run: Command;
}
