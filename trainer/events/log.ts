// The job event log's public surface: append (writer), read after a position (reader), and the
// position's compact string form for SSE ids. Record types live in types.ts.

export { chunkKey, eventsPrefix } from './chunks.ts';
export { currentMetricRecords } from './current-metrics.ts';
export { decodePosition, encodePosition, InvalidLogPositionError } from './position.ts';
export { type EventsRead, readEvents } from './reader.ts';
export {
  appendEvents,
  type EventLogWriter,
  type EventLogWriterOptions,
  type NewEvent,
  openEventLogWriter,
} from './writer.ts';
