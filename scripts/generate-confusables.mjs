// Builds lib/server/names/confusables.json, the TR39 prototype of every confusable character, from
// Unicode's confusables.txt (https://www.unicode.org/Public/security/latest/confusables.txt).
// Usage: node scripts/generate-confusables.mjs path/to/confusables.txt
import { readFileSync, writeFileSync } from "node:fs";

const source = process.argv[2];
if (!source) {
  console.error("Usage: node scripts/generate-confusables.mjs path/to/confusables.txt");
  process.exit(1);
}
const text = readFileSync(source, "utf8");
const version = /^# Version: (\S+)/m.exec(text)?.[1];
const date = /^# Date: ([^,\n]+)/m.exec(text)?.[1];
if (!version || !date) throw new Error(`${source} has no "# Version:" / "# Date:" header`);

const fromHex = (hex) =>
  String.fromCodePoint(
    ...hex
      .trim()
      .split(/\s+/)
      .map((h) => parseInt(h, 16)),
  );
const prototypes = {};
for (const line of text.split("\n")) {
  const fields = /^([0-9A-F]{4,6})\s*;\s*([0-9A-F ]+?)\s*;\s*MA\b/.exec(line);
  if (fields) prototypes[fromHex(fields[1])] = fromHex(fields[2]);
}
const count = Object.keys(prototypes).length;
if (count < 5000) throw new Error(`Only ${count} mappings in ${source}: not the whole file?`);

writeFileSync(
  new URL("../lib/server/names/confusables.json", import.meta.url),
  JSON.stringify({
    source: "Unicode confusables.txt (UTS #39)",
    version,
    date,
    license: "© Unicode, Inc., Unicode License v3, https://www.unicode.org/license.txt",
    prototypes,
  }) + "\n",
);
console.log(`confusables.json: ${count} mappings from Unicode ${version} (${date})`);
