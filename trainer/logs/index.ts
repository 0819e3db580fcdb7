// The logs package's public surface.

export { logChunkKey, logsPrefix } from './layout.ts';
export { type LogChunk, type ReadLogsOptions, readLogs, readLogText } from './read.ts';
export { LogShipper, type LogShipperOptions } from './shipper.ts';
