/**
 * A minimal LSP client over a child's stdio, enough to time the language server: Content-Length
 * framing, requests with ids, notifications, and answers to the few requests a server sends back
 * (configuration, capability registration, progress). Each incoming message is stamped with the
 * time its last byte was read, so waiting code measures the server, not the waiter.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Incoming {
  readonly message: Record<string, unknown>;
  /** performance.now() when the message was fully read. */
  readonly receivedAt: number;
}

interface Waiter {
  readonly match: (m: Incoming) => boolean;
  readonly resolve: (m: Incoming) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private waiters: Waiter[] = [];
  /** Notifications nobody waited for yet, oldest first (waiters look here first). */
  private backlog: Incoming[] = [];
  private stderr = '';
  private exited: string | undefined;

  constructor(command: string, args: readonly string[], cwd: string) {
    this.child = spawn(command, [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `server exited (code ${code}, signal ${signal})`;
      const error = new Error(`${this.exited}; stderr: ${this.stderr.trim()}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      this.waiters = [];
    });
    this.child.on('error', (e) => {
      this.exited = `cannot start server: ${e.message}`;
    });
  }

  /** The tail of the server's stderr, for error reports. */
  get serverStderr(): string {
    return this.stderr;
  }

  request(method: string, params: unknown, timeoutMs = 30_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first notification (already received or to come) that `match` accepts. */
  waitFor(match: (m: Incoming) => boolean, timeoutMs: number, what: string): Promise<Incoming> {
    const i = this.backlog.findIndex(match);
    if (i >= 0) {
      const [found] = this.backlog.splice(i, 1);
      if (found) return Promise.resolve(found);
    }
    if (this.exited) return Promise.reject(new Error(`${this.exited}; stderr: ${this.stderr.trim()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }

  /** Removes the notifications received so far that `match` accepts; returns how many. */
  drainBacklog(match: (m: Incoming) => boolean): number {
    const before = this.backlog.length;
    this.backlog = this.backlog.filter((m) => !match(m));
    return before - this.backlog.length;
  }

  /** Drops notifications received so far (e.g. diagnostics of an earlier version). */
  clearBacklog(): void {
    this.backlog = [];
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, 10_000);
      this.notify('exit', null);
    } catch {
      // A server that does not answer is killed below.
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /Content-Length:\s*(\d+)/i.exec(header)?.[1];
      if (length === undefined) throw new Error(`bad LSP header from server: ${header}`);
      const start = headerEnd + HEADER_END.length;
      const end = start + Number(length);
      if (this.buffer.length < end) return;
      const body = this.buffer.subarray(start, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      const parsed: unknown = JSON.parse(body);
      if (isRecord(parsed)) this.dispatch({ message: parsed, receivedAt: performance.now() });
    }
  }

  private dispatch(incoming: Incoming): void {
    const m = incoming.message;
    const hasMethod = typeof m.method === 'string';
    if (!hasMethod && typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (isRecord(m.error)) p.reject(new Error(`server error: ${JSON.stringify(m.error)}`));
      else p.resolve(m.result);
      return;
    }
    if (hasMethod && m.id !== undefined) {
      this.send({ jsonrpc: '2.0', id: m.id, result: answerServerRequest(m.method as string, m.params) });
      return;
    }
    const waiter = this.waiters.find((w) => w.match(incoming));
    if (waiter) {
      clearTimeout(waiter.timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(incoming);
    } else {
      this.backlog.push(incoming);
      if (this.backlog.length > 1000) this.backlog.shift();
    }
  }
}

/** Default settings for `workspace/configuration`, `null` for everything else. */
function answerServerRequest(method: string, params: unknown): unknown {
  if (method === 'workspace/configuration' && isRecord(params) && Array.isArray(params.items)) {
    return params.items.map(() => null);
  }
  return null;
}
