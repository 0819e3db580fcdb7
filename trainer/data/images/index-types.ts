/** Image files of one split and their class indices, in a fixed order. */
export interface ImageEntries {
  /** Paths relative to the dataset root, '/'-separated. */
  readonly paths: readonly string[];
  readonly labels: Int32Array;
}

/** What an image dataset's index files say, before any image is read. */
export interface ImageIndex {
  readonly train: ImageEntries;
  readonly test: ImageEntries;
  readonly classNames: readonly string[];
  /** The source's own id of each class (iNaturalist category ids), stored with the run. */
  readonly sourceClassIds?: readonly number[];
}

export function entriesOf(items: readonly { path: string; label: number }[]): ImageEntries {
  return { paths: items.map((i) => i.path), labels: Int32Array.from(items, (i) => i.label) };
}
