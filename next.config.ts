import type { NextConfig } from "next";
import { parseAllowedOrigins } from "./lib/server/config";

/** Hosts besides our own that may post server actions: the same ALLOWED_ORIGINS the sockets accept. */
const allowedActionHosts = parseAllowedOrigins(process.env.ALLOWED_ORIGINS).map(
  (origin) => new URL(origin).host,
);

const nextConfig: NextConfig = {
  // Separate build folders let several checkouts' test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    serverActions: { allowedOrigins: allowedActionHosts, bodySizeLimit: "16kb" },
  },
  // The security headers are set by our server on every response (lib/server/http-guard.ts),
  // so its own refusals carry them too.
};

export default nextConfig;
