// The `hoso` command line: parses the first word and dispatches to one command module.
// It holds no logic of its own beyond dispatch and usage text.
import { commands } from './commands.ts';

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log('usage: hoso <command> [options]\n');
    for (const [key, c] of Object.entries(commands)) console.log(`  ${key.padEnd(12)} ${c.summary}`);
    process.exitCode = name ? 2 : 0;
    return;
  }
  await command.run(rest);
}
