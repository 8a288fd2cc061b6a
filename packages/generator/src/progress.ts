// A one-line progress bar for long generations, drawn on a TTY stream only; elsewhere nothing is
// drawn and the caller prints a final summary line instead. No generation logic here.
import type { WriteStream } from 'node:tty';

const WIDTH = 30;

export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream | WriteStream,
    private readonly total: number,
    private readonly startedAt: number,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(done: number, resources: number, now: number): void {
    if (!this.enabled || (now - this.lastDraw < 100 && done < this.total)) return;
    this.lastDraw = now;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(share * WIDTH);
    const seconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const line =
      `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en')}/${this.total.toLocaleString('en')} people, ` +
      `${resources.toLocaleString('en')} resources, ${Math.round(resources / seconds).toLocaleString('en')}/s`;
    this.stream.write(`\r${line}\u001b[K`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\n');
  }
}
