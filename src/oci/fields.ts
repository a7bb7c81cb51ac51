/**
 * Checked reading of JSON documents: every failure names the document (`where`) and
 * the field path, e.g. "manifest sha256:ab…: field 'layers[2].digest' is missing".
 */
import { InvalidArgumentError } from '../errors.js';
import { isValidDigest } from './digest.js';

export type JsonObject = Record<string, unknown>;

const decoder = new TextDecoder('utf-8', { fatal: true });

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decode UTF-8 and parse JSON; the document must be an object. */
export function parseJsonObject(bytes: Uint8Array | string, where: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : decoder.decode(bytes));
  } catch (e) {
    throw new InvalidArgumentError(`invalid JSON in ${where}: ${(e as Error).message}`);
  }
  if (!isObject(value))
    throw new InvalidArgumentError(`${where}: expected a JSON object, got ${typeName(value)}`);
  return value;
}

/** One JSON object inside a document, at `path` ('' for the top level). */
export class Fields {
  constructor(
    readonly where: string,
    readonly obj: JsonObject,
    readonly path = '',
  ) {}

  /** Path of a key of this object. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, problem: string): never {
    throw new InvalidArgumentError(`${this.where}: field '${this.at(key)}' ${problem}`);
  }

  /** Present and not null. */
  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  /** A shallow copy without null-valued keys (Docker writes `"Cmd": null`). */
  copy(): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(this.obj)) if (v !== null) out[k] = v;
    return out;
  }

  private get(key: string, type: string): unknown {
    const v = this.obj[key];
    if (v === undefined || v === null) this.fail(key, 'is missing');
    if (typeName(v) !== type)
      this.fail(
        key,
        `must be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type} (got ${typeName(v)})`,
      );
    return v;
  }

  string(key: string): string {
    return this.get(key, 'string') as string;
  }

  optString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  /** A non-negative safe integer. */
  size(key: string): number {
    const v = this.get(key, 'number') as number;
    if (!Number.isSafeInteger(v) || v < 0) this.fail(key, `must be a non-negative integer (got ${v})`);
    return v;
  }

  optNumber(key: string): number | undefined {
    return this.has(key) ? (this.get(key, 'number') as number) : undefined;
  }

  optBoolean(key: string): boolean | undefined {
    return this.has(key) ? (this.get(key, 'boolean') as boolean) : undefined;
  }

  digest(key: string): string {
    const v = this.string(key);
    if (!isValidDigest(v)) this.fail(key, `is not a valid digest ('${v.slice(0, 80)}')`);
    return v;
  }

  array(key: string): unknown[] {
    return this.get(key, 'array') as unknown[];
  }

  stringArray(key: string): string[] {
    const a = this.array(key);
    a.forEach((v, i) => {
      if (typeof v !== 'string') this.fail(`${key}[${i}]`, `must be a string (got ${typeName(v)})`);
    });
    return a as string[];
  }

  /** An array of digests (diff_ids). */
  digestArray(key: string): string[] {
    const a = this.stringArray(key);
    a.forEach((v, i) => {
      if (!isValidDigest(v)) this.fail(`${key}[${i}]`, `is not a valid digest ('${v.slice(0, 80)}')`);
    });
    return a;
  }

  optStringArray(key: string): string[] | undefined {
    return this.has(key) ? this.stringArray(key) : undefined;
  }

  /** An object whose values are all strings (annotations, labels). */
  optStringMap(key: string): Record<string, string> | undefined {
    if (!this.has(key)) return undefined;
    const o = this.get(key, 'object') as JsonObject;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v !== 'string') this.fail(`${key}.${k}`, `must be a string (got ${typeName(v)})`);
    }
    return o as Record<string, string>;
  }

  /** An object whose values are objects (ExposedPorts, Volumes). */
  optObjectMap(key: string): Record<string, object> | undefined {
    if (!this.has(key)) return undefined;
    const o = this.get(key, 'object') as JsonObject;
    for (const [k, v] of Object.entries(o)) {
      if (!isObject(v)) this.fail(`${key}.${k}`, `must be an object (got ${typeName(v)})`);
    }
    return o as Record<string, object>;
  }

  object(key: string): Fields {
    return new Fields(this.where, this.get(key, 'object') as JsonObject, this.at(key));
  }

  optObject(key: string): Fields | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  /** An array of objects, each as Fields at 'key[i]'. */
  objects(key: string): Fields[] {
    return this.array(key).map((v, i) => {
      const path = `${key}[${i}]`;
      if (!isObject(v)) this.fail(path, `must be an object (got ${typeName(v)})`);
      return new Fields(this.where, v, this.at(path));
    });
  }
}
