/**
 * Compiled programs, cached by the SHA-256 of their bytes. Loading a program checks it is
 * a core WebAssembly module, rewrites its memory into an imported shared memory (so the
 * kernel thread can read and write it and watch its size) and lists its imports with
 * their value kinds, which the worker's forwarding functions need.
 */
import { InvalidArgumentError } from '../../errors.js';
import { sha256Of } from '../../oci/digest.js';
import {
  inspectModule,
  suspendableModule,
  withImportedSharedMemory,
  type Limits,
  type ModuleInfo,
  type SuspendInfo,
} from '../wasm-binary/index.js';
import type { ImportSpec } from './channel.js';

/** The import the rewritten module takes its memory from. */
export const MEMORY_IMPORT = { module: 'berth', name: 'memory' } as const;

/** 1 GiB: the largest memory a program may grow to unless it declares a maximum. */
export const DEFAULT_MAX_PAGES = 16384;

export interface Program {
  digest: string;
  module: WebAssembly.Module;
  /** Function imports in the order the module lists them. */
  imports: ImportSpec[];
  /** Limits of the memory to create for each instance (pages), or null without memory. */
  memory: Limits | null;
  /** How to suspend and resume it (an asyncify'd module), or null when it cannot be. */
  suspend: SuspendInfo | null;
}

const VALUE_LETTER: Record<string, string> = { i32: 'i', i64: 'I', f32: 'f', f64: 'F' };

function importSpecs(info: ModuleInfo): ImportSpec[] {
  const out: ImportSpec[] = [];
  for (const imp of info.imports) {
    if (imp.kind !== 'function') continue;
    const type = info.types[imp.typeIndex ?? -1];
    if (type === undefined) throw new InvalidArgumentError(`import ${imp.module}.${imp.name} has no type`);
    const letter = (t: string): string => {
      const l = VALUE_LETTER[t];
      if (l === undefined)
        throw new InvalidArgumentError(
          `import ${imp.module}.${imp.name} uses value type ${t}, which berth cannot pass`,
        );
      return l;
    };
    if (type.results.length > 1)
      throw new InvalidArgumentError(`import ${imp.module}.${imp.name} returns several values`);
    out.push({
      module: imp.module,
      name: imp.name,
      params: type.params.map(letter).join(''),
      result: type.results.map(letter).join(''),
    });
  }
  return out;
}

export class ModuleCache {
  private readonly byDigest = new Map<string, Promise<Program>>();
  /** Settled loads, for callers that cannot await (the spawn syscall). */
  private readonly settled = new Map<string, Program | Error>();

  constructor(private readonly maxPages = DEFAULT_MAX_PAGES) {}

  /** The program for these bytes, compiling it on first use. Throws InvalidArgumentError for bad modules. */
  load(bytes: Uint8Array): Promise<Program> {
    const digest = sha256Of(bytes);
    let p = this.byDigest.get(digest);
    if (p === undefined) {
      p = this.compile(digest, bytes);
      this.byDigest.set(digest, p);
      p.then(
        (prog) => this.settled.set(digest, prog),
        (e: Error) => {
          this.byDigest.delete(digest);
          this.settled.set(digest, e);
        },
      );
    }
    return p;
  }

  /** The program if its load has settled (an Error if it failed), else undefined. */
  peek(bytes: Uint8Array): Program | Error | undefined {
    const digest = sha256Of(bytes);
    const s = this.settled.get(digest);
    if (s instanceof Error) this.settled.delete(digest); // let a later try report afresh
    return s;
  }

  /** Already compiled (no await needed)? */
  has(bytes: Uint8Array): boolean {
    return this.byDigest.has(sha256Of(bytes));
  }

  get size(): number {
    return this.byDigest.size;
  }

  private async compile(digest: string, bytes: Uint8Array): Promise<Program> {
    const info = inspectModule(bytes);
    const imports = importSpecs(info);
    const declared = info.memories[0] ?? info.imports.find((i) => i.kind === 'memory')?.memory;
    if (declared !== undefined && declared.min > this.maxPages)
      throw new InvalidArgumentError(
        `the module's initial memory (${declared.min} pages) exceeds berth's limit of ${this.maxPages} pages (${this.maxPages / 16} MiB)`,
      );
    const suspendable = declared === undefined ? null : suspendableModule(bytes, info);
    const rewritten = withImportedSharedMemory(suspendable?.bytes ?? bytes, {
      ...MEMORY_IMPORT,
      defaultMaxPages: this.maxPages,
    });
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(rewritten.bytes as Uint8Array<ArrayBuffer>);
    } catch (e) {
      throw new InvalidArgumentError(`invalid WebAssembly module: ${(e as Error).message}`);
    }
    return { digest, module, imports, memory: rewritten.limits ?? null, suspend: suspendable?.info ?? null };
  }
}
