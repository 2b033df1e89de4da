import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of a CPU profile. */
export interface ProfileEntry {
  /** `name (file:line)`, the file relative to the project (or the package in node_modules). */
  frame: string;
  selfMs: number;
  /** Time with this function anywhere on the stack (counted once per sample). */
  totalMs: number;
}

export interface ProfileSummary {
  sampledMs: number;
  top: ProfileEntry[];
  /** The functions of {@link WATCHED} by name (whatever their file), present or not in `top`. */
  watched: ProfileEntry[];
}

/**
 * Functions whose share the report states whenever they were sampled: the copy of an open array
 * in a partial-JSON snapshot, the whole snapshot, and the garbage collector.
 */
export const WATCHED = ['copyOpenArray', 'buildSnapshot', '(garbage collector)'] as const;

/** Frames of module loading (Node's loader, tsx): startup, not the work measured. */
const LOADING = /^node:internal\/(modules|bootstrap)\/|\/node_modules\/tsx\//;

/**
 * The functions of a `.cpuprofile` (from `node --cpu-prof`) that take the most time, by self time,
 * with their inclusive time beside it. Idle time and module loading are left out.
 */
export function summariseCpuProfile(file: string, limit = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampledMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)' || LOADING.test(node.callFrame.url)) return;
    sampledMs += ms;
    const key = frameName(node);
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = frameName(byId.get(at) as ProfileNode);
      if (seen.has(frame)) continue;
      seen.add(frame);
      total.set(frame, (total.get(frame) ?? 0) + ms);
    }
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, selfMs]) => ({ frame, selfMs, totalMs: total.get(frame) ?? selfMs }));
  const named = (name: string, times: Map<string, number>): number =>
    [...times.entries()].filter(([frame]) => frame === name || frame.startsWith(`${name} (`)).reduce((sum, [, ms]) => sum + ms, 0);
  const watched = WATCHED.map((name) => ({ frame: name, selfMs: named(name, self), totalMs: named(name, total) }));
  return { sampledMs, top, watched };
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const path = url.replace(/^file:\/\//, '');
  const inPackage = /\/node_modules\/(.*)$/.exec(path);
  const file = inPackage ? (inPackage[1] as string) : path.replace(/^.*?\/(lib|bench)\//, '$1/');
  return lineNumber > 0 ? `${name} (${file}:${lineNumber + 1})` : `${name} (${file})`;
}
