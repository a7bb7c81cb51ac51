/** WASI preview1 host over berth's FileSystem. */
export { WasiHost, WasiExit, Filetype, type Preopen, type WasiOptions } from './host.js';
export { WasiErrno, LINUX_TO_WASI, wasiErrno } from './errno.js';
export { GuestMemory, GuestFault } from './memory.js';
