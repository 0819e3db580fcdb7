export interface GroupError {
  /** Mean per-class error of the group's classes; null when none has evaluation images. */
  readonly error: number | null;
  /** Classes in the group. */
  readonly classes: number;
}

export interface ShotGroups {
  readonly many: GroupError;
  readonly medium: GroupError;
  readonly few: GroupError;
}

export type ShotGroup = keyof ShotGroups;

/** The usual long-tail split (Liu et al. 2019): many > 100, medium 20–100, few < 20 training images. */
export function shotGroupOf(trainCount: number): ShotGroup {
  if (trainCount > 100) return 'many';
  return trainCount >= 20 ? 'medium' : 'few';
}

export function shotGroupErrors(
  perClassError: readonly (number | null)[],
  trainCounts: readonly number[],
): ShotGroups {
  const members: Record<ShotGroup, (number | null)[]> = { many: [], medium: [], few: [] };
  trainCounts.forEach((n, c) => {
    members[shotGroupOf(n)].push(perClassError[c] ?? null);
  });
  const summarise = (errors: (number | null)[]): GroupError => ({
    error: meanOfPresent(errors),
    classes: errors.length,
  });
  return { many: summarise(members.many), medium: summarise(members.medium), few: summarise(members.few) };
}

/** Mean of the non-null values, null when there are none. */
export function meanOfPresent(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}
