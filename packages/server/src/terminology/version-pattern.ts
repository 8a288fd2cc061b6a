// Version wildcards of FHIR canonical versions ("1.x", "1.x.x", "2.0.*"): whether a version string
// is a pattern and whether a loaded version fits it. A wildcard segment matches any one segment;
// a trailing wildcard also matches any further segments ("1.x" fits "1.0.0"). Pure.

const WILDCARD = /^(x|X|\*)$/;

export const isVersionPattern = (version: string): boolean =>
  version.split('.').some((s) => WILDCARD.test(s));

export function fitsVersionPattern(pattern: string, version: string): boolean {
  const want = pattern.split('.');
  const have = version.split('.');
  if (have.length < want.length) return false;
  if (have.length > want.length && !WILDCARD.test(want.at(-1)!)) return false;
  return want.every((segment, i) => WILDCARD.test(segment) || segment === have[i]);
}
