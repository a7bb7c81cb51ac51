/**
 * Tar member names to path components inside the layer. Decision (as GNU tar does):
 * leading '/' and './' are dropped, so '/etc/passwd' means 'etc/passwd'; '.' and empty
 * components vanish; '..' is resolved lexically and is an error once it would leave
 * the root ('../x', 'a/../../x').
 */
import { InvalidArgumentError } from '../errors.js';

export function entryComponents(name: string, what: string): string[] {
  const parts: string[] = [];
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) throw new InvalidArgumentError(`${what} escapes the layer root`);
      parts.pop();
      continue;
    }
    parts.push(p);
  }
  return parts;
}
