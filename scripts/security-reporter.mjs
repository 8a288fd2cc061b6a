// A Node test reporter that counts the security tests (names starting with "security: ") across
// every file and prints one summary line at the end of `npm test`, so the number of attacks the
// suite tries — and whether each failed closed — is visible in CI output. It reports; it never
// changes a test's outcome.
export default async function* securityReporter(source) {
  let passed = 0;
  let skipped = 0;
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite' || !/^security: /.test(event.data.name)) continue;
    if (event.type === 'test:fail') failed.push(event.data.name);
    else if (event.data.skip) skipped++;
    else passed++;
  }
  const total = passed + skipped + failed.length;
  yield `\nsecurity tests: ${total} run, ${passed} held (failed closed), ${failed.length} broken, ${skipped} skipped\n`;
  for (const name of failed) yield `  broken: ${name}\n`;
}
