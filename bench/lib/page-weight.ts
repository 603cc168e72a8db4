// The room page's first-load JavaScript: every script the served page names for a modern browser
// (not the `nomodule` polyfills), sized from the build output with gzip at zlib's default level,
// as the e2e page-weight test counts it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { enterRoom, fetchActionFields } from "./login";

export interface PageWeight {
  page: string;
  gzipBytes: number;
  rawBytes: number;
  chunks: Array<{ file: string; gzipBytes: number; rawBytes: number }>;
}

export async function roomPageWeight(baseUrl: string, distDir: string): Promise<PageWeight> {
  const fields = await fetchActionFields(baseUrl);
  const login = await enterRoom(baseUrl, fields, { name: "Page weight", intent: "create" });
  const response = await fetch(`${baseUrl}/r/${login.roomCode}`, {
    headers: { cookie: login.cookie },
  });
  const html = await response.text();
  if (!response.ok || !html.includes("initialMessages"))
    throw new Error(`The room page did not render a room (status ${response.status})`);

  const chunks = [...html.matchAll(/<script\b[^>]*>/g)]
    .map((match) => match[0])
    // Browsers that run modules skip `nomodule` polyfills.
    .filter((tag) => !/\bnoModule\b/i.test(tag))
    .map((tag) => /\ssrc="\/_next\/([^"?]+)/.exec(tag)?.[1])
    .filter((file): file is string => file !== undefined)
    .map((file) => {
      const source = readFileSync(path.join(distDir, file));
      return { file, rawBytes: source.length, gzipBytes: gzipSync(source).length };
    });
  return {
    page: "/r/[code]",
    gzipBytes: chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0),
    rawBytes: chunks.reduce((sum, chunk) => sum + chunk.rawBytes, 0),
    chunks,
  };
}
