// Runs before every page: a fresh CSP nonce per request, which Next applies to its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/content-security-policy";

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)",
      // Router prefetches fetch RSC data, not a document, so they need no policy. A browser's
      // `Purpose: prefetch` fetches the document itself, which must arrive with its policy.
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
