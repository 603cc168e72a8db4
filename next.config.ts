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
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          // Room links carry the room code; other sites must not learn it from a clicked link.
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          {
            key: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
          },
        ],
      },
    ];
  },
};

export default nextConfig;
