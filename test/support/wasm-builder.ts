/**
 * A tiny WebAssembly assembler for tests: builds core modules in memory (no files, no
 * tools), so it works in Node and in browsers.
 *
 *   const m = moduleBuilder();
 *   const t = m.type(['i32'], ['i32']);
 *   const f = m.func(t, [0x20, 0x00]); // local.get 0
 *   m.export('id', 'function', f);
 *   const bytes = m.build();
 */
export type BuilderValType = 'i32' | 'i64' | 'f32' | 'f64';

const VALTYPE: Record<BuilderValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const KIND = { function: 0, table: 1, memory: 2, global: 3 } as const;

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (for i32.const operands). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function nameBytes(s: string): number[] {
  const u = new TextEncoder().encode(s);
  return [...uleb(u.length), ...u];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

export interface MemoryLimits {
  min: number;
  max?: number;
  shared?: boolean;
}

function limits(l: MemoryLimits): number[] {
  const flags = (l.max !== undefined ? 1 : 0) | (l.shared ? 2 : 0);
  return [flags, ...uleb(l.min), ...(l.max !== undefined ? uleb(l.max) : [])];
}

export interface ModuleBuilder {
  /** Adds a function type; returns its type index (identical types are shared). */
  type(params: BuilderValType[], results: BuilderValType[]): number;
  /** Imports a function; returns its function index. Import before defining functions. */
  importFunction(module: string, name: string, typeIndex: number): number;
  /** Imports a memory (memory 0). */
  importMemory(module: string, name: string, limits: MemoryLimits): void;
  /**
   * Defines a function with raw body instructions (without the final `end`, which is
   * added) and optional locals; returns its function index.
   */
  func(typeIndex: number, body: number[], locals?: BuilderValType[]): number;
  /** Defines memory 0. */
  memory(limits: MemoryLimits): void;
  export(name: string, kind: keyof typeof KIND, index: number): void;
  start(funcIndex: number): void;
  /** An active data segment for memory 0 at a constant offset. */
  data(offset: number, bytes: Uint8Array | string): void;
  /** A custom section. */
  custom(name: string, payload?: Uint8Array): void;
  build(): Uint8Array<ArrayBuffer>;
}

export function moduleBuilder(): ModuleBuilder {
  const types: number[][] = [];
  const imports: number[][] = [];
  let importedFuncs = 0;
  const funcs: { type: number; body: number[]; locals: BuilderValType[] }[] = [];
  let mem: MemoryLimits | undefined;
  const exports: number[][] = [];
  let startFunc: number | undefined;
  const datas: number[][] = [];
  const customs: number[][] = [];

  return {
    type(params, results) {
      const t = [0x60, ...vec(params.map((p) => [VALTYPE[p]])), ...vec(results.map((r) => [VALTYPE[r]]))];
      const key = t.join(',');
      const found = types.findIndex((x) => x.join(',') === key);
      if (found >= 0) return found;
      types.push(t);
      return types.length - 1;
    },
    importFunction(module, name, typeIndex) {
      if (funcs.length > 0) throw new Error('import functions before defining any');
      imports.push([...nameBytes(module), ...nameBytes(name), 0x00, ...uleb(typeIndex)]);
      return importedFuncs++;
    },
    importMemory(module, name, l) {
      imports.push([...nameBytes(module), ...nameBytes(name), 0x02, ...limits(l)]);
    },
    func(type, body, locals = []) {
      funcs.push({ type, body, locals });
      return importedFuncs + funcs.length - 1;
    },
    memory(l) {
      mem = l;
    },
    export(name, kind, index) {
      exports.push([...nameBytes(name), KIND[kind], ...uleb(index)]);
    },
    start(funcIndex) {
      startFunc = funcIndex;
    },
    data(offset, bytes) {
      const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
      datas.push([0x00, 0x41, ...sleb(offset), 0x0b, ...uleb(b.length), ...b]);
    },
    custom(name, payload = new Uint8Array()) {
      customs.push(section(0, [...nameBytes(name), ...payload]));
    },
    build() {
      const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
      if (types.length) out.push(...section(1, vec(types)));
      if (imports.length) out.push(...section(2, vec(imports)));
      if (funcs.length) out.push(...section(3, vec(funcs.map((f) => uleb(f.type)))));
      if (mem) out.push(...section(5, vec([limits(mem)])));
      if (exports.length) out.push(...section(7, vec(exports)));
      if (startFunc !== undefined) out.push(...section(8, uleb(startFunc)));
      if (funcs.length) {
        const bodies = funcs.map((f) => {
          const locals = vec(f.locals.map((l) => [1, VALTYPE[l]]));
          const body = [...locals, ...f.body, 0x0b];
          return [...uleb(body.length), ...body];
        });
        out.push(...section(10, vec(bodies)));
      }
      if (datas.length) out.push(...section(11, vec(datas)));
      for (const c of customs) out.push(...c);
      return new Uint8Array(out);
    },
  };
}

// Opcodes used by the example modules.
const I32_CONST = 0x41;
const CALL = 0x10;
const DROP = 0x1a;

/** A module whose exported `_start` loops forever (`loop br 0 end`). Defines a 1-page memory. */
export function infiniteLoopModule(): Uint8Array<ArrayBuffer> {
  const m = moduleBuilder();
  const t = m.type([], []);
  m.memory({ min: 1 });
  m.export('memory', 'memory', 0);
  m.export('_start', 'function', m.func(t, [0x03, 0x40, 0x0c, 0x00, 0x0b]));
  return m.build();
}

/** A module whose exported `_start` traps at once with `unreachable`. */
export function trapModule(): Uint8Array<ArrayBuffer> {
  const m = moduleBuilder();
  const t = m.type([], []);
  m.memory({ min: 1 });
  m.export('memory', 'memory', 0);
  m.export('_start', 'function', m.func(t, [0x00]));
  return m.build();
}

/**
 * A module whose exported `_start` grows its memory by `pagesPerStep` pages in an endless
 * loop (`memory.grow` until it fails, then keeps trying), to exercise memory limits.
 */
export function memoryHogModule(pagesPerStep = 1): Uint8Array<ArrayBuffer> {
  const m = moduleBuilder();
  const t = m.type([], []);
  m.memory({ min: 1 });
  m.export('memory', 'memory', 0);
  // loop; i32.const n; memory.grow 0; drop; br 0; end
  m.export(
    '_start',
    'function',
    m.func(t, [0x03, 0x40, I32_CONST, ...sleb(pagesPerStep), 0x40, 0x00, DROP, 0x0c, 0x00, 0x0b]),
  );
  return m.build();
}

/**
 * A module whose exported `_start` writes `text` to fd 1 with one
 * `wasi_snapshot_preview1.fd_write` call and returns. Memory layout: the iovec at 0
 * (buf = 16, len), nwritten at 8, text at 16.
 */
export function helloModule(text = 'hello, world\n'): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const m = moduleBuilder();
  const fdWriteType = m.type(['i32', 'i32', 'i32', 'i32'], ['i32']);
  const fdWrite = m.importFunction('wasi_snapshot_preview1', 'fd_write', fdWriteType);
  const t = m.type([], []);
  m.memory({ min: Math.max(1, Math.ceil((16 + bytes.length) / 65536)) });
  m.export('memory', 'memory', 0);
  const iov = new Uint8Array(8);
  new DataView(iov.buffer).setUint32(0, 16, true);
  new DataView(iov.buffer).setUint32(4, bytes.length, true);
  m.data(0, iov);
  m.data(16, bytes);
  // fd_write(1, iovs=0, iovs_len=1, nwritten=8); drop
  const body = [I32_CONST, 1, I32_CONST, 0, I32_CONST, 1, I32_CONST, 8, CALL, ...uleb(fdWrite), DROP];
  m.export('_start', 'function', m.func(t, body));
  return m.build();
}
