// `npm run build`, second half: compiles server.ts and the lib/ code it imports into one file,
// dist/server.js, so production runs plain `node` (no TypeScript loader). Packages stay in
// node_modules, except ESM-only ones: CommonJS can require those only on Node >= 20.19.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

function isEsmOnly(name) {
  const file = path.join("node_modules", name, "package.json");
  if (!existsSync(file)) return false;
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  return (
    manifest.type === "module" && !JSON.stringify(manifest.exports ?? {}).includes('"require"')
  );
}

/** Keeps `require("pkg")` for every package a production install has, `@/` paths compiled in. */
const packagesExternal = {
  name: "packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path: specifier }) => {
      if (specifier.startsWith("@/")) return undefined;
      const name = specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
      return isEsmOnly(name) ? undefined : { path: specifier, external: true };
    });
  },
};

await build({
  entryPoints: ["server.ts"],
  outfile: "dist/server.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  plugins: [packagesExternal],
  logLevel: "warning",
});
console.log("Server compiled to dist/server.js");
