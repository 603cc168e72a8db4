// One line for an error from anywhere, with the cause fetch() hides behind "fetch failed".
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${errorText(error.cause)}` : "";
  return `${error.message}${cause}`;
}
