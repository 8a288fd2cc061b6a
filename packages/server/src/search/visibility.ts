// The one condition every resource a search touches must pass — the main query, its count, each
// chain and `_has` hop and each `_include`/`_revinclude`: not deleted, and the access policy's
// read conditions for the caller. Built once per request; pure (SQL text, no I/O).
import { type Sql, and, raw } from '../db/sql.ts';
import type { AccessContext, AccessPolicy } from '../store/model.ts';

/** The visible-resource condition over a `resource`-shaped alias. */
export type Visibility = (alias: string) => Sql;

export function visibility(policy: AccessPolicy, ctx: AccessContext): Visibility {
  return (alias) => and([raw(`NOT ${alias}.deleted`), ...policy.readConditions(ctx, alias)]);
}
