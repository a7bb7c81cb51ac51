/** The OCI runtime's command line (runc and crun take the same verbs and flags used here). */
import { spawn, type ChildProcess } from 'node:child_process';
import { underTerminal, type TerminalSize, type TerminalTools } from './host-terminal.js';
import type { RuntimeChoice } from './oci-runtime.js';
import { HostToolError, runTool } from './tool.js';

/** A terminal for the process: its size and the host tools that make one. */
export interface RuntimeTerminal {
  size: TerminalSize;
  tools: TerminalTools;
}

export class RuntimeCli {
  constructor(
    readonly choice: RuntimeChoice,
    /** --root: where the runtime keeps container state. */
    readonly stateDir: string,
  ) {}

  /** The program and arguments of one runtime command (through the wrapper, if any). */
  private command(rest: string[]): [string, string[]] {
    const args = ['--root', this.stateDir, ...rest];
    const w = this.choice.wrapper;
    return w ? [w[0]!, [...w.slice(1), this.choice.path, ...args]] : [this.choice.path, args];
  }

  /**
   * `run` in the foreground with piped stdio; with runc `--keep`, so the cgroup outlives
   * the exit and OOM kills can be read (crun: see cgroup-parent.ts). With `terminal`
   * (the bundle asks for one) it runs under a host terminal: see spawnRuntime.
   */
  run(id: string, bundle: string, pidFile: string, terminal?: RuntimeTerminal): ChildProcess {
    const keep = this.choice.keep ? ['--keep'] : [];
    return this.spawnRuntime(['run', ...keep, '--bundle', bundle, '--pid-file', pidFile, id], terminal);
  }

  exec(id: string, processFile: string, terminal?: RuntimeTerminal, pidFile?: string): ChildProcess {
    const pid = pidFile === undefined ? [] : ['--pid-file', pidFile];
    return this.spawnRuntime(['exec', '--process', processFile, ...pid, id], terminal);
  }

  /**
   * The runtime with stdio as pipes; under a host terminal (host-terminal.ts) its
   * terminal's output comes on stdout and its own messages on stdio[3].
   */
  private spawnRuntime(rest: string[], terminal: RuntimeTerminal | undefined): ChildProcess {
    const [file, args] = this.command(rest);
    if (terminal === undefined) return spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const t = underTerminal(terminal.tools, terminal.size, file, args);
    return spawn(t.file, t.args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: t.env });
  }

  async kill(id: string, signal: string): Promise<void> {
    await runTool(...this.command(['kill', id, signal]));
  }

  /** `delete -f`; false when the runtime does not know the container. */
  async delete(id: string): Promise<boolean> {
    try {
      await runTool(...this.command(['delete', '-f', id]));
      return true;
    } catch (e) {
      if (e instanceof HostToolError && /does not exist|not found|No such file/i.test(e.stderr)) return false;
      throw e;
    }
  }

  /** Container ids the runtime knows. */
  async list(): Promise<{ id: string; status: string; pid: number }[]> {
    const out = await runTool(...this.command(['list', '--format', 'json']));
    const parsed = JSON.parse(out.trim() || '[]') as { id: string; status: string; pid: number }[] | null;
    return parsed ?? [];
  }
}
