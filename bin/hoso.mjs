#!/usr/bin/env node
// The `hoso` command: loads the TypeScript sources through tsx and hands over to the CLI package.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../packages/cli/src/main.ts');
await main(process.argv.slice(2));
