/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal (amount done, rows,
 * rate, time left), or a plain line every few seconds when stderr is a file or a pipe, so that
 * logs stay readable.
 */
export class Progress {
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #unit: 'bytes' | 'rows';
  readonly #start = Date.now();
  readonly #every: number;
  #last = Date.now();
  #done = 0;
  #rows = 0;
  #drawn = false;

  /** `total` counts bytes (`unit` bytes) or rows; without it, rows and rate only. */
  constructor(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, label: string, total: number | undefined, unit: 'bytes' | 'rows', options: { plainEveryMs?: number } = {}) {
    this.#stream = stream;
    this.#label = label;
    this.#total = total;
    this.#unit = unit;
    this.#every = stream.isTTY ? 100 : (options.plainEveryMs ?? 2000);
  }

  update(done: number, rows: number): void {
    this.#done = done;
    this.#rows = rows;
    const now = Date.now();
    if (now - this.#last < this.#every) return;
    this.#last = now;
    this.#draw(now);
  }

  /** The last state, on a line of its own. */
  finish(): void {
    if (this.#total !== undefined) this.#done = this.#total;
    if (this.#stream.isTTY && this.#drawn) this.#stream.write('\r\x1b[2K');
    this.#stream.write(`${this.#line(Date.now(), true)}\n`);
  }

  #draw(now: number): void {
    const line = this.#line(now, false);
    if (!this.#stream.isTTY) {
      this.#stream.write(`${line}\n`);
      return;
    }
    const columns = this.#stream.columns ?? 80;
    let bar = '';
    if (this.#total) {
      const width = Math.max(10, Math.min(30, columns - line.length - 4));
      const filled = Math.round((Math.min(this.#done, this.#total) / this.#total) * width);
      bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] `;
    }
    this.#stream.write(`\r\x1b[2K${(bar + line).slice(0, columns - 1)}`);
    this.#drawn = true;
  }

  #line(now: number, final: boolean): string {
    const seconds = Math.max(0.001, (now - this.#start) / 1000);
    const rate = Math.round(this.#rows / seconds);
    const parts = [`${this.#label}:`];
    if (this.#total !== undefined) {
      const share = this.#total === 0 ? 100 : Math.floor((Math.min(this.#done, this.#total) / this.#total) * 100);
      parts.push(this.#unit === 'bytes' ? `${megabytes(this.#done)} of ${megabytes(this.#total)} MB (${share}%),` : `${share}%,`);
    }
    parts.push(`${this.#rows.toLocaleString('en')} rows,`, `${rate.toLocaleString('en')} rows/s`);
    if (final) parts.push(`in ${duration(seconds)}`);
    else if (this.#total && this.#done > 0 && this.#done < this.#total) parts.push(`about ${duration((seconds * (this.#total - this.#done)) / this.#done)} left`);
    return parts.join(' ');
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}
