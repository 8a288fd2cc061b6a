// Reads a password without it touching argv or the screen: from a terminal, a prompt (on stderr)
// that echoes nothing, asked twice; otherwise the first line of stdin. Knows nothing of accounts.

/** The first line of a piped stdin (without its line end); '' when stdin is empty. */
async function firstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  process.stdin.destroy();
  return text.split('\n')[0]!.replace(/\r$/, '');
}

/** One line typed at the terminal with echo off; Ctrl-C or Ctrl-D aborts. */
function typed(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The password: typed twice at a terminal (they must match), or the first line of stdin. */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return firstLine();
  const first = await typed('password: ');
  const again = await typed('password again: ');
  if (first !== again) throw new Error('the two passwords differ');
  return first;
}
