// The table of `hoso` commands. Each command lives in its own module and is only listed here.
import { serveCommand } from './serve-command.ts';
import { generateCommand } from './generate-command.ts';
import { terminologyCommand } from './terminology-command.ts';
import { auditCommand } from './audit-command.ts';
import { adminCommand } from './admin-command.ts';

export interface Command {
  summary: string;
  run(args: string[]): Promise<void>;
}

export const commands: Record<string, Command> = {
  serve: serveCommand,
  generate: generateCommand,
  terminology: terminologyCommand,
  audit: auditCommand,
  admin: adminCommand,
};
