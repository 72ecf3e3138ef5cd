/**
 * RFC 4180 CSV, streamed both ways: records come out of text chunks as they arrive, so a large
 * file is never held whole, and each record says on which line of the file it starts.
 */

export interface CsvRecord {
  /** The physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

const enum State {
  /** At the start of a field. */
  Start,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the field's end, or the first of a doubled quote. */
  QuoteInQuoted,
}

/**
 * Records from UTF-8 text chunks. A byte order mark is dropped; CRLF and LF both end records;
 * blank lines are skipped. The delimiter is a comma, or a semicolon when the first line has more
 * of those (what spreadsheets save in French locales).
 */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let delimiter: string | undefined;
  let head = '';
  let state = State.Start;
  let field = '';
  let fields: string[] = [];
  let started = false;
  let line = 1;
  let recordLine = 1;

  for await (const piece of chunks) {
    let chunk = piece;
    if (delimiter === undefined) {
      head += chunk;
      if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
      const end = head.indexOf('\n');
      if (end < 0 && head.length < 65_536) continue;
      delimiter = detectDelimiter(end < 0 ? head : head.slice(0, end));
      chunk = head;
      head = '';
    }
    const length = chunk.length;
    for (let i = 0; i < length; i++) {
      const c = chunk[i]!;
      switch (state) {
        case State.Start:
        case State.Unquoted:
          if (c === delimiter) {
            if (!started) [started, recordLine] = [true, line];
            fields.push(field);
            field = '';
            state = State.Start;
          } else if (c === '\n') {
            if (started || state === State.Unquoted) {
              fields.push(field);
              yield { line: recordLine, fields };
            }
            [field, fields, started, state] = ['', [], false, State.Start];
            line++;
          } else if (c === '\r') {
            // The CR of a CRLF: the LF ends the record.
          } else if (c === '"') {
            if (state === State.Unquoted) throw new CsvSyntaxError(line, 'A quote appears inside a field that does not start with one: put the whole field in quotes and double the quotes within.');
            if (!started) [started, recordLine] = [true, line];
            state = State.Quoted;
          } else {
            if (!started) [started, recordLine] = [true, line];
            let j = i + 1;
            while (j < length) {
              const d = chunk[j];
              if (d === delimiter || d === '\n' || d === '\r' || d === '"') break;
              j++;
            }
            field += chunk.slice(i, j);
            i = j - 1;
            state = State.Unquoted;
          }
          break;
        case State.Quoted: {
          if (c === '"') {
            state = State.QuoteInQuoted;
            break;
          }
          let j = chunk.indexOf('"', i);
          if (j < 0) j = length;
          const segment = chunk.slice(i, j);
          for (let k = segment.indexOf('\n'); k >= 0; k = segment.indexOf('\n', k + 1)) line++;
          field += segment;
          i = j - 1;
          break;
        }
        case State.QuoteInQuoted:
          if (c === '"') {
            field += '"';
            state = State.Quoted;
          } else if (c === delimiter) {
            fields.push(field);
            field = '';
            state = State.Start;
          } else if (c === '\n') {
            fields.push(field);
            yield { line: recordLine, fields };
            [field, fields, started, state] = ['', [], false, State.Start];
            line++;
          } else if (c !== '\r') {
            throw new CsvSyntaxError(line, 'Text follows a closing quote: a quote inside a quoted field must be doubled.');
          }
          break;
      }
    }
  }
  if (delimiter === undefined && head !== '') {
    // The whole file is one line without an end: parse it as such.
    yield* parseCsv((async function* () { yield `${head}\n`; })());
    return;
  }
  if (state === State.Quoted) throw new CsvSyntaxError(recordLine, 'A quoted field is not closed before the end of the file.');
  if (started || state !== State.Start) {
    fields.push(field);
    yield { line: recordLine, fields };
  }
}

function detectDelimiter(firstLine: string): string {
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** One CSV line, CRLF-terminated, each cell quoted only when it must be. */
export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/*
 * Text that a spreadsheet would run as a formula gets an apostrophe in front; one apostrophe more
 * is added to text that already starts with apostrophes before such a character, so that reading
 * the file back takes exactly one away and an export imports as it was.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

export function defuse(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

export function restore(text: string): string {
  return text.startsWith("'") && FORMULA.test(text) ? text.slice(1) : text;
}

/**
 * UTF-8 text out of byte chunks, counting bytes as they pass. Invalid UTF-8 (a file saved in a
 * legacy encoding) and a file larger than `maxBytes` stop the reading with a clear message.
 */
export async function* utf8Chunks(source: AsyncIterable<Uint8Array | string>, options: { maxBytes?: number; onBytes?: (bytes: number) => void } = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  for await (const chunk of source) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += data.byteLength;
    if (options.maxBytes !== undefined && bytes > options.maxBytes) throw new CsvTooLargeError(options.maxBytes);
    options.onBytes?.(bytes);
    yield decodeOrThrow(decoder, data, true);
  }
  yield decodeOrThrow(decoder, new Uint8Array(0), false);
}

function decodeOrThrow(decoder: TextDecoder, data: Uint8Array, stream: boolean): string {
  try {
    return decoder.decode(data, { stream });
  } catch {
    throw new CsvSyntaxError(0, 'The file is not UTF-8 text: save it as "CSV UTF-8" from the spreadsheet.');
  }
}

export class CsvTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${Math.round(maxBytes / (1024 * 1024))} MB.`);
  }
}
