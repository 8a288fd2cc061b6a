// Parses request bodies as JSON with limits on nesting, so hostile input gets a precise 400 rather
// than exhausting the stack later. Pure.
import { badRequest } from '../errors.ts';

export const MAX_DEPTH = 64;

/** The nesting depth of a parsed JSON value, computed iteratively (no recursion to overflow). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > MAX_DEPTH) return max;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return max;
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
  if (jsonDepth(value) > MAX_DEPTH) throw badRequest(`the JSON nests deeper than ${MAX_DEPTH} levels`);
  return value;
}
