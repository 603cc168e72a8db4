// Migrating members from before names had keys: the first of each look-alike group (present
// first, then most recently seen) keeps its name's keys; later twins keep none until they rename.
import { nameKeys, type NameKeys } from "../names/name-keys";

export function backfillNameKeys<T extends { room_code: string; name: string }>(
  rows: readonly T[],
): Array<T & NameKeys> {
  const taken = new Set<string>();
  const keyed: Array<T & NameKeys> = [];
  for (const row of rows) {
    const keys = nameKeys(row.name);
    const folded = `${row.room_code} f ${keys.folded}`;
    const shaped = `${row.room_code} s ${keys.shaped}`;
    if (taken.has(folded) || taken.has(shaped)) continue;
    taken.add(folded).add(shaped);
    keyed.push({ ...row, ...keys });
  }
  return keyed;
}
