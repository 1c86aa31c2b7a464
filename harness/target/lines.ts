// Line splitting for the child's stdout/stderr, and the bounded tail kept for error messages.

/** Node's own inspector chatter: not the target's words, kept out of the tail. */
const INSPECTOR_NOISE = [
  /^Debugger listening on ws:\/\//,
  /^For help, see: https:\/\/nodejs\.org/,
  /^Debugger attached\.$/,
  /^Debugger ending on ws:\/\//,
  /^Waiting for the debugger to disconnect\.\.\.$/,
];

export function isInspectorNoise(line: string): boolean {
  return INSPECTOR_NOISE.some((re) => re.test(line));
}

/** Feeds chunks, calls back once per complete line; flush() emits a trailing partial line. */
export class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }
  flush(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = '';
  }
}

export class TailBuffer {
  private readonly lines: string[] = [];
  /** Every line ever seen is also scanned once for markers (OOM) that may scroll out of the tail. */
  constructor(
    private readonly max: number,
    private readonly onAnyLine?: (line: string) => void,
  ) {}
  add(line: string): void {
    this.onAnyLine?.(line);
    if (isInspectorNoise(line)) return;
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n');
  }
}
