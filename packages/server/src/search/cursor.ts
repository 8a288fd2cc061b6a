// Opaque keyset-paging cursors: the sort key of the last row of a page, so the next page starts
// strictly after it and stays stable under concurrent writes. Pure.
import { badRequest } from '../errors.ts';

export interface CursorKey {
  lastUpdated?: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(token: string): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      typeof key === 'object' &&
      key !== null &&
      typeof (key as CursorKey).id === 'string' &&
      ((key as CursorKey).lastUpdated === undefined || typeof (key as CursorKey).lastUpdated === 'string')
    ) {
      return key as CursorKey;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('_cursor is not a cursor this server issued');
}
