/** `inspectModule`: what a core WebAssembly module imports, exports and defines. */
import { InvalidArgumentError } from '../../errors.js';
import { Reader, SectionId, readSections } from './reader.js';

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';
export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

/** Memory limits, in 64 KiB pages. */
export interface Limits {
  min: number;
  max?: number;
  shared: boolean;
  memory64: boolean;
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface ImportInfo {
  module: string;
  name: string;
  kind: ExternKind;
  /** For memory imports. */
  memory?: Limits;
  /** For function (and tag) imports. */
  typeIndex?: number;
}

export interface ExportInfo {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface FunctionImportSignature {
  module: string;
  name: string;
  typeIndex: number;
  type: FuncType;
}

export interface ModuleInfo {
  imports: ImportInfo[];
  exports: ExportInfo[];
  /** Memories defined by the module (not imported). */
  memories: Limits[];
  /** Function types of the type section. */
  types: FuncType[];
  /** Each function import with its signature. */
  functionImportSignatures: FunctionImportSignature[];
  hasStart: boolean;
  /** Names of the custom sections, in order. */
  customSections: string[];
}

const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];

const VALTYPES: Record<number, ValType> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = r.byte();
  const t = VALTYPES[b];
  if (t === undefined) {
    throw new InvalidArgumentError(`unsupported WebAssembly value type 0x${b.toString(16)} at offset ${at}`);
  }
  return t;
}

export function readLimits(r: Reader): Limits {
  const at = r.pos;
  const flags = r.byte();
  if (flags > 0x07)
    throw new InvalidArgumentError(`malformed limits flags 0x${flags.toString(16)} at offset ${at}`);
  const memory64 = (flags & 0x04) !== 0;
  const read = () => (memory64 ? r.u64() : r.u32());
  const min = read();
  const limits: Limits = { min, shared: (flags & 0x02) !== 0, memory64 };
  if (flags & 0x01) limits.max = read();
  return limits;
}

function readFuncType(r: Reader): FuncType {
  const at = r.pos;
  const form = r.byte();
  if (form !== 0x60) {
    throw new InvalidArgumentError(
      `unsupported WebAssembly type form 0x${form.toString(16)} at offset ${at}`,
    );
  }
  const params: ValType[] = [];
  for (let n = r.u32(); n > 0; n--) params.push(readValType(r));
  const results: ValType[] = [];
  for (let n = r.u32(); n > 0; n--) results.push(readValType(r));
  return { params, results };
}

function readKind(r: Reader): ExternKind {
  const at = r.pos;
  const b = r.byte();
  const kind = KINDS[b];
  if (kind === undefined)
    throw new InvalidArgumentError(`unknown extern kind 0x${b.toString(16)} at offset ${at}`);
  return kind;
}

/** Reads one import entry's descriptor (after module and name). */
export function readImportDesc(r: Reader, module: string, name: string): ImportInfo {
  const kind = readKind(r);
  const imp: ImportInfo = { module, name, kind };
  switch (kind) {
    case 'function':
      imp.typeIndex = r.u32();
      break;
    case 'table':
      readValType(r);
      readLimits(r);
      break;
    case 'memory':
      imp.memory = readLimits(r);
      break;
    case 'global':
      readValType(r);
      r.byte();
      break;
    case 'tag':
      r.byte();
      imp.typeIndex = r.u32();
      break;
  }
  return imp;
}

/**
 * Validates the header and walks the sections of a core module, without decoding code
 * bodies. Throws InvalidArgumentError for anything it cannot read.
 */
export function inspectModule(bytes: Uint8Array): ModuleInfo {
  const info: ModuleInfo = {
    imports: [],
    exports: [],
    memories: [],
    types: [],
    functionImportSignatures: [],
    hasStart: false,
    customSections: [],
  };
  for (const s of readSections(bytes)) {
    const r = new Reader(bytes, s.contentStart, s.end);
    switch (s.id) {
      case SectionId.custom:
        info.customSections.push(r.name());
        break;
      case SectionId.type:
        for (let n = r.u32(); n > 0; n--) info.types.push(readFuncType(r));
        break;
      case SectionId.import:
        for (let n = r.u32(); n > 0; n--) {
          const module = r.name();
          const name = r.name();
          info.imports.push(readImportDesc(r, module, name));
        }
        break;
      case SectionId.memory:
        for (let n = r.u32(); n > 0; n--) info.memories.push(readLimits(r));
        break;
      case SectionId.export:
        for (let n = r.u32(); n > 0; n--) {
          const name = r.name();
          const kind = readKind(r);
          info.exports.push({ name, kind, index: r.u32() });
        }
        break;
      case SectionId.start:
        info.hasStart = true;
        break;
      default:
        break;
    }
  }
  for (const imp of info.imports) {
    if (imp.kind !== 'function' || imp.typeIndex === undefined) continue;
    const type = info.types[imp.typeIndex];
    if (type === undefined) {
      throw new InvalidArgumentError(
        `import ${imp.module}.${imp.name} names type ${imp.typeIndex}, but the module has ${info.types.length} types`,
      );
    }
    info.functionImportSignatures.push({
      module: imp.module,
      name: imp.name,
      typeIndex: imp.typeIndex,
      type,
    });
  }
  return info;
}
