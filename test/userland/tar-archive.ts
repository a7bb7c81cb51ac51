/**
 * Tar archives written by hand, as strings of byte values below 128 (a corpus tree holds
 * text): for members busybox's tar would not make, such as names that lead outside.
 */

/** A ustar member header (512 bytes) as a string of byte values below 128. */
export function header(name: string, type: string, size: number, link = '', magic = 'ustar\u000000'): string {
  const field = (s: string, n: number): string => s.slice(0, n).padEnd(n, '\0');
  const octal = (v: number, n: number): string => field(v.toString(8).padStart(n - 1, '0'), n);
  const head =
    field(name, 100) +
    octal(0o644, 8) +
    octal(0, 8) +
    octal(0, 8) +
    octal(size, 12) +
    octal(1577934245, 12) +
    '        ' +
    type +
    field(link, 100) +
    field(magic, 8) +
    field('root', 32) +
    field('root', 32);
  const block = head.padEnd(512, '\0');
  let sum = 0;
  for (const ch of block) sum += ch.charCodeAt(0);
  return block.slice(0, 148) + sum.toString(8).padStart(6, '0') + '\0 ' + block.slice(156);
}

/** A member with its data padded to whole blocks. */
export const member = (name: string, data: string, type = '0', link = ''): string =>
  header(name, type, data.length, link) + data.padEnd(Math.ceil(data.length / 512) * 512, '\0');

/** A pax extended header naming PATH, then a member (called "short" in its own header) holding DATA. */
export const pax = (path: string, data: string): string => {
  const rec = (k: string, v: string): string => {
    const body = ` ${k}=${v}\n`;
    let n = body.length + 2;
    if (String(n).length + body.length !== n) n = String(n + 1).length + body.length;
    return `${n}${body}`;
  };
  const records = rec('path', path);
  return member('PaxHeaders/x', records, 'x') + member('short', data);
};

/** The end of an archive: two zero blocks. */
export const END = '\0'.repeat(1024);
