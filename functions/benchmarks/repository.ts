import type { Store } from '../../trainer/store/store.ts';
import { getIfPresent } from '../../trainer/store/write-once.ts';
import { BenchmarkNotFoundError } from './errors.ts';
import { benchmarkCellsKey, benchmarkSpecKey, benchmarksPrefix, isValidBenchmarkId } from './keys.ts';
import {
  type BenchmarkRecord,
  benchmarkRecordSchema,
  type CellsRecord,
  cellsRecordSchema,
} from './records.ts';

// Reads and writes a benchmark's objects in the store; the one module that knows their keys.

const json = { contentType: 'application/json' } as const;

export class BenchmarkRepository {
  constructor(private readonly store: Store) {}

  async create(record: BenchmarkRecord, cells: CellsRecord): Promise<void> {
    await this.store.put(benchmarkCellsKey(record.id), JSON.stringify(cells), json);
    // spec.json last: a benchmark is visible only once both objects exist.
    await this.store.put(benchmarkSpecKey(record.id), JSON.stringify(record), json);
  }

  async get(id: string): Promise<BenchmarkRecord> {
    if (!isValidBenchmarkId(id)) throw new BenchmarkNotFoundError(id);
    return benchmarkRecordSchema.parse(await this.read(id, benchmarkSpecKey(id)));
  }

  async getCells(id: string): Promise<CellsRecord> {
    if (!isValidBenchmarkId(id)) throw new BenchmarkNotFoundError(id);
    return cellsRecordSchema.parse(await this.read(id, benchmarkCellsKey(id)));
  }

  async saveCells(id: string, cells: CellsRecord): Promise<void> {
    await this.store.put(benchmarkCellsKey(id), JSON.stringify(cells), json);
  }

  /** Ids of every stored benchmark, oldest first. */
  async listIds(): Promise<string[]> {
    const objects = await this.store.list(benchmarksPrefix);
    return objects
      .filter((o) => o.key.endsWith('/spec.json'))
      .map((o) => o.key.slice(benchmarksPrefix.length, -'/spec.json'.length))
      .filter(isValidBenchmarkId);
  }

  private async read(id: string, key: string): Promise<unknown> {
    const bytes = await getIfPresent(this.store, key);
    if (bytes === undefined) throw new BenchmarkNotFoundError(id);
    return JSON.parse(new TextDecoder().decode(bytes));
  }
}
