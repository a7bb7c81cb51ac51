/**
 * TEMPORARY minimal module reader until src/kernel/wasm-binary lands: import list with
 * types, and the memory → imported shared memory rewrite.
 */
import { InvalidArgumentError } from '../../errors.js';

export interface Limits {
  min: number;
  max?: number;
  shared: boolean;
  memory64: boolean;
}
type ValType = string;
export interface ModuleInfo {
  imports: { module: string; name: string; kind: string; typeIndex?: number; memory?: Limits }[];
  types: { params: ValType[]; results: ValType[] }[];
  memories: Limits[];
}

const VT: Record<number, string> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

class Reader {
  constructor(
    readonly b: Uint8Array,
    public at = 0,
  ) {}
  u8(): number {
    if (this.at >= this.b.length) throw new InvalidArgumentError('truncated WebAssembly module');
    return this.b[this.at++]!;
  }
  u32(): number {
    let r = 0;
    let shift = 0;
    for (;;) {
      const x = this.u8();
      r += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return r;
      shift += 7;
      if (shift > 35) throw new InvalidArgumentError(`malformed LEB128 at offset ${this.at}`);
    }
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  limits(): Limits {
    const flags = this.u8();
    const min = this.u32();
    const max = flags & 1 ? this.u32() : undefined;
    return { min, max, shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0 };
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

interface Section {
  id: number;
  start: number;
  end: number;
}

function sections(b: Uint8Array): Section[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d)
    throw new InvalidArgumentError('not a WebAssembly module (bad magic)');
  if (b[4] !== 1 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0)
    throw new InvalidArgumentError('not a core WebAssembly module (version)');
  const r = new Reader(b, 8);
  const out: Section[] = [];
  while (r.at < b.length) {
    const id = r.u8();
    const size = r.u32();
    const start = r.at;
    if (start + size > b.length)
      throw new InvalidArgumentError(`truncated WebAssembly module: section ${id}`);
    out.push({ id, start, end: start + size });
    r.at = start + size;
  }
  return out;
}

export function inspectModule(b: Uint8Array): ModuleInfo {
  const info: ModuleInfo = { imports: [], types: [], memories: [] };
  for (const s of sections(b)) {
    const r = new Reader(b, s.start);
    if (s.id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        if (r.u8() !== 0x60) throw new InvalidArgumentError('malformed type section');
        const params = Array.from({ length: r.u32() }, () => VT[r.u8()] ?? '?');
        const results = Array.from({ length: r.u32() }, () => VT[r.u8()] ?? '?');
        info.types.push({ params, results });
      }
    } else if (s.id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const kind = r.u8();
        if (kind === 0) info.imports.push({ module, name, kind: 'function', typeIndex: r.u32() });
        else if (kind === 1) {
          r.u8();
          r.limits();
          info.imports.push({ module, name, kind: 'table' });
        } else if (kind === 2) info.imports.push({ module, name, kind: 'memory', memory: r.limits() });
        else if (kind === 3) {
          r.u8();
          r.u8();
          info.imports.push({ module, name, kind: 'global' });
        } else if (kind === 4) {
          r.u8();
          r.u32();
          info.imports.push({ module, name, kind: 'tag' });
        } else throw new InvalidArgumentError(`malformed import kind ${kind}`);
      }
    } else if (s.id === 5) {
      for (let n = r.u32(); n > 0; n--) info.memories.push(r.limits());
    }
  }
  return info;
}

function encodeImport(module: string, name: string, l: Limits): number[] {
  const enc = new TextEncoder();
  const m = [...enc.encode(module)];
  const n = [...enc.encode(name)];
  return [...leb(m.length), ...m, ...leb(n.length), ...n, 2, 3, ...leb(l.min), ...leb(l.max!)];
}

export function withImportedSharedMemory(
  b: Uint8Array,
  opts: { module: string; name: string; defaultMaxPages: number },
): { bytes: Uint8Array; limits?: Limits } {
  const info = inspectModule(b);
  const importedMem = info.imports.filter((i) => i.kind === 'memory');
  if (importedMem.length + info.memories.length === 0) return { bytes: b };
  if (importedMem.length + info.memories.length > 1)
    throw new InvalidArgumentError('modules with several memories are not supported');
  const src = importedMem[0]?.memory ?? info.memories[0]!;
  if (src.memory64) throw new InvalidArgumentError('64-bit memories are not supported');
  const limits: Limits = {
    min: src.min,
    max: Math.min(src.max ?? opts.defaultMaxPages, 65536),
    shared: true,
    memory64: false,
  };
  if (limits.max! < limits.min) limits.max = limits.min;
  const secs = sections(b);
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  const emit = (id: number, body: number[] | Uint8Array) => {
    parts.push(new Uint8Array([id, ...leb(body.length)]));
    parts.push(body instanceof Uint8Array ? body : new Uint8Array(body));
  };
  let importDone = false;
  const newImports = (): number[] => {
    const r = new Reader(b);
    const entries: number[] = [];
    let count = 0;
    const sec = secs.find((s) => s.id === 2);
    if (sec !== undefined) {
      r.at = sec.start;
      count = r.u32();
      // copy entries, dropping an existing memory import
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const from = r.at;
        r.name();
        r.name();
        const kind = r.u8();
        if (kind === 0) r.u32();
        else if (kind === 1) {
          r.u8();
          r.limits();
        } else if (kind === 2) r.limits();
        else if (kind === 3) {
          r.u8();
          r.u8();
        } else {
          r.u8();
          r.u32();
        }
        if (kind !== 2) {
          for (let k = from; k < r.at; k++) entries.push(b[k]!);
          kept++;
        }
      }
      count = kept;
    }
    entries.push(...encodeImport(opts.module, opts.name, limits));
    return [...leb(count + 1), ...entries];
  };
  for (const s of secs) {
    // The import section sits after type (1) and before function (3); custom (0) anywhere.
    if (!importDone && s.id !== 0 && s.id !== 1 && s.id >= 2) {
      emit(2, newImports());
      importDone = true;
      if (s.id === 2) continue;
    }
    if (s.id === 5) continue; // the defined memory is now imported
    emit(s.id, b.subarray(s.start, s.end));
  }
  if (!importDone) emit(2, newImports());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { bytes: out, limits };
}
