import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { chainIds } from '../../src/oci/chain-id.js';

const ABC = 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HELLO = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

describe('chainIds', () => {
  it('matches values computed by hand with sha256sum', () => {
    // printf '%s %s' "$ABC" "$EMPTY" | sha256sum, then the same with that and $HELLO.
    expect(chainIds([ABC, EMPTY, HELLO])).toEqual([
      ABC,
      'sha256:dd8ddd90bdf3ccbd91abd3f399218c9d93e91246734fab743933f42048ac3e2c',
      'sha256:59814b1221634c1882852118efe478b5b9edd552d1bd0df2c4a4f06819decccb',
    ]);
  });

  it('is empty for no layers and the DiffID for one', () => {
    expect(chainIds([])).toEqual([]);
    expect(chainIds([HELLO])).toEqual([HELLO]);
  });

  it('depends on order', () => {
    expect(chainIds([ABC, EMPTY])[1]).not.toBe(chainIds([EMPTY, ABC])[1]);
  });

  it('rejects malformed DiffIDs', () => {
    expect(() => chainIds([ABC, 'sha256:nope'])).toThrow(InvalidArgumentError);
  });
});
