import { z } from 'zod';
import { freeText } from './free-text.ts';

// The text parts of the experiment spec: how reviews become token sequences (`dataset.text`), the
// JSONL format's label order (`dataset.labels`), and the BiLSTM's sizes (`model.bilstm`). Defaults
// marked "chosen" are this project's choices; the paper gives only "two-layer bidirectional LSTM,
// Adam" (Cao et al. 2019, §4.1).

const int = (min: number, max: number) => z.int().min(min).max(max);

/** Class order of the IMDB layout: `pos` = 0, `neg` = 1 (fixed, documented). */
export const imdbClassNames = ['pos', 'neg'] as const;

export const textSchema = z.strictObject({
  /** Tokens kept per review: longer reviews are truncated, shorter ones padded (chosen: 200). */
  maxLength: int(1, 2000).default(200),
  /** Vocabulary size including the padding and unknown-word entries (chosen: 20,000). */
  maxVocab: int(3, 200_000).default(20_000),
  /** Words seen fewer times than this in the training split map to the unknown entry (chosen: 2). */
  minCount: int(1, 1_000_000).default(2),
});

export const bilstmSchema = z.strictObject({
  /** Embedding width (chosen: 128). */
  embeddingDim: int(1, 1024).default(128),
  /** Hidden units per direction, per layer (two layers; chosen: 128). */
  units: int(1, 1024).default(128),
  /** Dropout on the embeddings and between the layers, training only (chosen: 0). */
  dropout: z.number().min(0).max(0.9).default(0),
});

/** Labels of a JSONL dataset, in class order: the first listed is class 0. */
export const labelsSchema = z.array(freeText(200)).min(2).max(1000);

export type TextSpec = z.output<typeof textSchema>;
export type BilstmSpec = z.output<typeof bilstmSchema>;

export const defaultTextSpec: TextSpec = { maxLength: 200, maxVocab: 20_000, minCount: 2 };
export const defaultBilstmSpec: BilstmSpec = { embeddingDim: 128, units: 128, dropout: 0 };

/** What the text cross-field rules read (the spec's raw sections, before defaults that depend on them). */
export interface TextRuleInput {
  readonly dataset: {
    readonly name: string;
    readonly format?: string | undefined;
    readonly text?: unknown;
    readonly labels?: readonly string[] | undefined;
    readonly numClasses?: number | undefined;
    readonly imbalance: { readonly type: string; readonly minority?: readonly string[] | undefined };
  };
  readonly model: { readonly arch: string; readonly bilstm?: unknown };
  readonly augment?: { readonly crop?: boolean; readonly flip?: boolean } | undefined;
}

export interface RuleIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** True for datasets whose examples are token sequences. */
export function isTextDataset(dataset: {
  readonly name: string;
  readonly format?: string | undefined;
}): boolean {
  return dataset.name === 'imdb' || (dataset.name === 'custom' && dataset.format === 'jsonl');
}

/** Class names the spec itself fixes (imdb's, or a JSONL dataset's `labels`), else undefined. */
export function specClassNames(dataset: TextRuleInput['dataset']): readonly string[] | undefined {
  if (dataset.name === 'imdb') return imdbClassNames;
  return dataset.labels;
}

function modelIssues(input: TextRuleInput, text: boolean): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (text && input.model.arch !== 'bilstm')
    issues.push({
      path: ['model', 'arch'],
      message: `'${input.model.arch}' needs image inputs; text datasets train 'bilstm'`,
    });
  if (!text && input.model.arch === 'bilstm')
    issues.push({
      path: ['model', 'arch'],
      message: "'bilstm' needs a text dataset (imdb, or custom with format 'jsonl')",
    });
  if (input.model.bilstm !== undefined && input.model.arch !== 'bilstm')
    issues.push({ path: ['model', 'bilstm'], message: "only allowed when model.arch is 'bilstm'" });
  for (const field of ['crop', 'flip'] as const)
    if (text && input.augment?.[field] === true)
      issues.push({ path: ['augment', field], message: 'image augmentation does not apply to text' });
  return issues;
}

function datasetIssues(dataset: TextRuleInput['dataset'], text: boolean): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (!text && dataset.text !== undefined)
    issues.push({
      path: ['dataset', 'text'],
      message: "only allowed for imdb or custom datasets in format 'jsonl'",
    });
  const jsonl = dataset.name === 'custom' && dataset.format === 'jsonl';
  if (jsonl && dataset.labels === undefined)
    issues.push({ path: ['dataset', 'labels'], message: "required when format is 'jsonl' (class order)" });
  if (!jsonl && dataset.labels !== undefined)
    issues.push({ path: ['dataset', 'labels'], message: "only allowed when format is 'jsonl'" });
  if (jsonl && dataset.labels !== undefined) {
    if (new Set(dataset.labels).size !== dataset.labels.length)
      issues.push({ path: ['dataset', 'labels'], message: 'must not repeat a label' });
    if (dataset.numClasses !== undefined && dataset.numClasses !== dataset.labels.length)
      issues.push({
        path: ['dataset', 'numClasses'],
        message: `must equal the ${dataset.labels.length} labels`,
      });
  }
  return issues;
}

function minorityIssues(dataset: TextRuleInput['dataset']): RuleIssue[] {
  const { minority, type } = dataset.imbalance;
  if (minority === undefined) return [];
  const path = ['dataset', 'imbalance', 'minority'];
  if (type !== 'step') return [{ path, message: "only allowed when imbalance.type is 'step'" }];
  const names = specClassNames(dataset);
  if (names === undefined) return [];
  return minority.flatMap((name, i) =>
    names.includes(name)
      ? []
      : [{ path: [...path, i], message: `'${name}' is not a class (${names.join(', ')})` }],
  );
}

/** Cross-field rules of text experiments (pure; each issue has the field's path). */
export function textRuleIssues(input: TextRuleInput): RuleIssue[] {
  const text = isTextDataset(input.dataset);
  return [
    ...datasetIssues(input.dataset, text),
    ...modelIssues(input, text),
    ...minorityIssues(input.dataset),
  ];
}
