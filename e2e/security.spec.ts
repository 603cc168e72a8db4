// Issue 4: the app works under its own strict Content-Security-Policy, sends the other security
// headers, and a message that looks like code is shown as text and never runs.
import type { APIResponse, Response } from "@playwright/test";
import {
  createRoom,
  expect,
  expectConnected,
  joinRoom,
  leaveRoom,
  messageLog,
  messagesReading,
  sendMessage,
  test,
  twoPeopleInARoom,
} from "./helpers";

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** Checks the security headers of one response and returns the CSP nonce it carries. */
function expectSecurityHeaders(response: APIResponse | Response): string {
  const headers = response.headers();
  const policy = directives(headers["content-security-policy"] ?? "");
  const scripts = policy.get("script-src") ?? [];
  const nonce = scripts.find((source) => source.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce, "script-src carries a nonce").toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toMatch(
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
  );
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["permissions-policy"]).toContain("microphone=()");
  return nonce!;
}

test("pages are served with a nonce-based CSP and the other security headers", async ({
  request,
  newPerson,
}) => {
  const first = await request.get("/");
  expect(first.ok()).toBe(true);
  const nonce = expectSecurityHeaders(first);
  // Every script on the page, inline or not, carries this response's nonce.
  const scriptTags = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);

  const second = await request.get("/");
  expect(expectSecurityHeaders(second), "a fresh nonce per response").not.toBe(nonce);

  const alice = await newPerson();
  const code = await createRoom(alice, "Alice");
  const roomPage = await alice.goto(`/r/${code}`);
  expectSecurityHeaders(roomPage!);
  await expectConnected(alice);
});

test("home and room pages work under the CSP without a single violation", async ({
  newPerson,
  pageProblems,
}) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  await sendMessage(alice, "Does the policy let us talk?");
  await expect(messagesReading(bob, "Does the policy let us talk?")).toHaveCount(1);
  await sendMessage(bob, "It does.");
  await expect(messagesReading(alice, "It does.")).toHaveCount(1);
  await bob.reload();
  await expectConnected(bob);

  const carol = await newPerson();
  await carol.goto(`/r/${code}`);
  await carol.getByLabel("Your name").fill("Carol");
  await carol.getByRole("button", { name: "Join room" }).click();
  await expectConnected(carol);
  await leaveRoom(carol);
  await expect(carol).toHaveURL(/\/$/);

  expect(pageProblems).toEqual([]);
});

test("script and image tags in a message are shown as text and run nothing", async ({
  newPerson,
}) => {
  const { alice, bob, code } = await twoPeopleInARoom(newPerson);
  const script = "<script>window.__pwned=1</script>";
  const image = '<img src=x onerror="window.__pwned=1">';
  await sendMessage(alice, script);
  await sendMessage(alice, image);

  await expect(messagesReading(bob, script)).toHaveCount(1);
  await expect(messagesReading(bob, image)).toHaveCount(1);
  await expect(messagesReading(alice, image)).toHaveCount(1);

  // A late joiner gets them from the server-rendered history rather than the socket.
  const carol = await newPerson();
  await joinRoom(carol, "Carol", code);
  await expect(messagesReading(carol, script)).toHaveCount(1);
  await expect(messagesReading(carol, image)).toHaveCount(1);

  for (const page of [alice, bob, carol]) {
    // Had the markup been injected, the CSP might still block it: check it was never markup.
    await expect(messageLog(page).locator("script, img")).toHaveCount(0);
    expect(await page.evaluate(() => "__pwned" in window)).toBe(false);
  }
});
