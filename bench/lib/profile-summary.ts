// Reads a V8 CPU profile (`node --cpu-prof`) and sums self time by where the code lives:
// a package, a file of ours, Node's internals, native calls, or the garbage collector.
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileShare {
  where: string;
  percent: number;
}

function placeOf(node: ProfileNode, root: string): string {
  const { url, functionName } = node.callFrame;
  if (!url)
    return functionName.startsWith("(") ? functionName : `native ${functionName || "(anonymous)"}`;
  if (url.startsWith("node:")) return "node internals";
  const file = url.replace(/^file:\/\//, "");
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (packageMatch) {
    // Next's server runtime is one bundle; say which part of it when the path does.
    return packageMatch[1] ?? file;
  }
  if (file.includes("/.next")) return "app bundle (.next)";
  return path.relative(root, file);
}

/** Self-time shares, largest first, leaving out idle time. */
export function summariseProfile(file: string, root: string, top = 15): ProfileShare[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byPlace = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0 || node.callFrame.functionName === "(idle)") continue;
    const place = placeOf(node, root);
    byPlace.set(place, (byPlace.get(place) ?? 0) + count);
    busy += count;
  }
  return [...byPlace]
    .map(([where, count]) => ({ where, percent: (count / busy) * 100 }))
    .sort((a, b) => b.percent - a.percent)
    .slice(0, top);
}
