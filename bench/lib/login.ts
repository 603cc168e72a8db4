// Logs bench users in the way a browser without JavaScript does: GET the home page, then submit
// its create/join form (a Next server action) as multipart/form-data and keep the session cookie.
const SESSION_COOKIE = "roomcode_session";

/** The hidden `$ACTION_…` inputs React renders into a progressively enhanced form. */
export type ActionFields = ReadonlyArray<readonly [name: string, value: string]>;

export interface Login {
  cookie: string;
  roomCode: string;
}

const ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&#x27;": "'",
  "&#39;": "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:quot|amp|lt|gt|#x27|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** Reads the home form's hidden action inputs, in document order, from the page's HTML. */
export function parseActionFields(html: string): ActionFields {
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (!form) throw new Error("The home page has no form");
  const fields: Array<readonly [string, string]> = [];
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = input[0];
    if (!/type="hidden"/.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (!name?.startsWith("$ACTION_")) continue;
    fields.push([decodeEntities(name), decodeEntities(/value="([^"]*)"/.exec(tag)?.[1] ?? "")]);
  }
  if (!fields.some(([name]) => name === "$ACTION_KEY"))
    throw new Error("The home form carries no server action");
  return fields;
}

export async function fetchActionFields(baseUrl: string): Promise<ActionFields> {
  const response = await fetch(`${baseUrl}/`);
  if (!response.ok) throw new Error(`GET / answered ${response.status}`);
  return parseActionFields(await response.text());
}

/**
 * Submits the home form: `intent` is the button pressed. Succeeds only on the action's redirect
 * to the room with a session cookie; an error the form would show is thrown with its text.
 */
export async function enterRoom(
  baseUrl: string,
  fields: ActionFields,
  entry: { name: string; intent: "create" | "join"; code?: string },
): Promise<Login> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.append("name", entry.name);
  form.append("code", entry.code ?? "");
  form.append("intent", entry.intent);
  const response = await fetch(`${baseUrl}/`, {
    method: "POST",
    body: form,
    redirect: "manual",
    // A browser sends its page's origin; without one Next only warns, on every request.
    headers: { origin: baseUrl },
  });
  const location = response.headers.get("location") ?? "";
  const roomCode = /^\/r\/([A-Z0-9]+)$/.exec(location)?.[1];
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0] ?? "")
    .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (response.status !== 303 || !roomCode || !cookie) {
    const text = await response.text();
    const shown = /role="alert"[^>]*>([^<]+)</.exec(text)?.[1];
    throw new Error(`enterRoom answered ${response.status}: ${shown ?? "no redirect"}`);
  }
  await response.body?.cancel();
  return { cookie, roomCode };
}
