/** One split of a text dataset as read: the raw texts and their class indices. */
export interface RawTextSplit {
  readonly texts: readonly string[];
  readonly labels: Int32Array;
}

export interface RawTextDataset {
  readonly train: RawTextSplit;
  readonly test: RawTextSplit;
  readonly classNames: readonly string[];
}
