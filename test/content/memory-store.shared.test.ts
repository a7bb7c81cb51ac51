import { MemoryContentStore } from '../../src/content/memory-store.js';
import { contentStoreSuite } from './conformance.js';

contentStoreSuite('MemoryContentStore', async (opts) => ({
  store: new MemoryContentStore(opts),
  leftovers: async () => [],
}));
