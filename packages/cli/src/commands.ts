// The table of `hoso` commands. Each command lives in its own module and is only listed here.
export interface Command {
  summary: string;
  run(args: string[]): Promise<void>;
}

export const commands: Record<string, Command> = {};
