/**
 * Bounds-checked access to a guest's linear memory. Every guest pointer goes through
 * here: an access outside the memory throws GuestFault, which the host turns into EFAULT.
 */

/** A guest pointer or length out of bounds. */
export class GuestFault extends Error {
  constructor(ptr: number, len: number) {
    super(`guest access [${ptr}, +${len}) out of bounds`);
    this.name = 'GuestFault';
  }
}

function unsigned(n: number): number {
  return n >= 0 ? n : n >>> 0;
}

export class GuestMemory {
  constructor(readonly memory: WebAssembly.Memory) {}

  /**
   * Check that [ptr, ptr+len) lies in memory and return ptr as an unsigned offset. Guest
   * u32 values arrive as signed i32, so a negative one means a large one; a length may
   * also be a host-computed product (count × record size) beyond 32 bits.
   */
  range(ptr: number, len: number): number {
    const p = ptr >>> 0;
    const n = unsigned(len);
    if (p + n > this.memory.buffer.byteLength) throw new GuestFault(p, n);
    return p;
  }

  /** A live view of [ptr, ptr+len) (valid until memory grows). */
  bytes(ptr: number, len: number): Uint8Array {
    const p = this.range(ptr, len);
    return new Uint8Array(this.memory.buffer, p, unsigned(len));
  }

  private view(ptr: number, len: number): [DataView, number] {
    const p = this.range(ptr, len);
    return [new DataView(this.memory.buffer), p];
  }

  u8(ptr: number): number {
    const [v, p] = this.view(ptr, 1);
    return v.getUint8(p);
  }
  u16(ptr: number): number {
    const [v, p] = this.view(ptr, 2);
    return v.getUint16(p, true);
  }
  u32(ptr: number): number {
    const [v, p] = this.view(ptr, 4);
    return v.getUint32(p, true);
  }
  u64(ptr: number): bigint {
    const [v, p] = this.view(ptr, 8);
    return v.getBigUint64(p, true);
  }
  setU8(ptr: number, value: number): void {
    const [v, p] = this.view(ptr, 1);
    v.setUint8(p, value);
  }
  setU16(ptr: number, value: number): void {
    const [v, p] = this.view(ptr, 2);
    v.setUint16(p, value, true);
  }
  setU32(ptr: number, value: number): void {
    const [v, p] = this.view(ptr, 4);
    v.setUint32(p, value >>> 0, true);
  }
  setU64(ptr: number, value: bigint | number): void {
    const [v, p] = this.view(ptr, 8);
    v.setBigUint64(p, BigInt.asUintN(64, BigInt(value)), true);
  }
  /** Copy `data` to ptr (checked as a whole first). */
  write(ptr: number, data: Uint8Array): void {
    this.bytes(ptr, data.length).set(data);
  }
  /** A UTF-8 string of `len` bytes at ptr. */
  string(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes(ptr, len).slice());
  }
}
