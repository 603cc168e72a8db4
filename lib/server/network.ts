// The addresses people can open the app at: this machine and every LAN interface (as Vite prints them).
import { networkInterfaces } from "node:os";

export function reachableUrls(host: string, port: number): { local: string; network: string[] } {
  const wildcard = host === "0.0.0.0" || host === "::";
  const local = `http://${wildcard ? "localhost" : formatHost(host)}:${port}`;
  if (!wildcard) return { local, network: [] };
  const network = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && !address.internal)
    // An IPv6 wildcard also listens on IPv4; an IPv4 wildcard only on IPv4.
    .filter((address) => host === "::" || address?.family === "IPv4")
    .map((address) => `http://${formatHost(address!.address)}:${port}`);
  return { local, network };
}

function formatHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}
