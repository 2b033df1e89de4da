import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The machine a run was made on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average at the start and at the end of the run: how busy the shared machine was. */
  loadAverage: { start: number; end: number };
}

export function describeMachine(loadAtStart: number): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] as number },
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return (match[1] as string).trim();
  } catch {
    // Not Linux: fall back to what Node says.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

const PACKAGES = ['@anthropic-ai/sdk', 'ai', '@ai-sdk/anthropic', 'rxjs', 'eventsource-parser', 'io-ts'];

/** The versions of this project and of the libraries measured, as installed. */
export function libraryVersions(root: string): Record<string, string> {
  const read = (file: string): string => {
    try {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  const versions: Record<string, string> = { 'rx-anthropic': `${read(path.join(root, 'package.json'))} (${gitRevision(root)})` };
  for (const name of PACKAGES) versions[name] = read(path.join(root, 'node_modules', name, 'package.json'));
  return versions;
}

function gitRevision(root: string): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'no git';
  }
}
