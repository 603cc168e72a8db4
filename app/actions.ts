"use server";
// Create, join and leave: the only ways a session gains or loses a room.
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { CLIENT_IP_HEADER } from "@/lib/server/client-address";
import { getSession, saveSession } from "@/lib/server/next-session";
import { chooseRoom } from "@/lib/server/rooms";
import { getRuntime } from "@/lib/server/runtime";

export interface HomeFormState {
  error?: string;
  /** The field the error is about; none for errors about the whole attempt. */
  field?: "name" | "code";
  /** What was typed, so an error does not wipe the form. */
  values: { name: string; code: string };
}

const formSchema = z.object({
  intent: z.enum(["create", "join"]),
  name: z.string().max(1000).default(""),
  code: z.string().max(1000).default(""),
});

export async function enterRoom(
  _previous: HomeFormState,
  formData: FormData,
): Promise<HomeFormState> {
  const form = formSchema.safeParse({
    intent: formData.get("intent"),
    name: formData.get("name") ?? undefined,
    code: formData.get("code") ?? undefined,
  });
  if (!form.success)
    return { error: "Please use the form's buttons.", values: { name: "", code: "" } };
  const { intent, name, code } = form.data;

  const runtime = getRuntime();
  const session = await getSession();
  const userId = session.userId ?? randomUUID();
  const ip = (await headers()).get(CLIENT_IP_HEADER) ?? "unknown";
  const entry = await chooseRoom(runtime, { intent, name, code, userId, ip });
  if (!entry.ok) return { error: entry.error, field: entry.field, values: { name, code } };

  if (session.roomCode && session.userId && session.roomCode !== entry.roomCode) {
    await runtime.membership.leave(session.roomCode, session.userId);
  }
  await runtime.membership.join(entry.roomCode, { userId, name: entry.name });
  await saveSession({ userId, name: entry.name, roomCode: entry.roomCode });
  redirect(`/r/${entry.roomCode}`);
}

export async function leaveRoom(): Promise<void> {
  const session = await getSession();
  if (session.roomCode && session.userId) {
    await getRuntime().membership.leave(session.roomCode, session.userId);
  }
  // The name stays, so the home page can offer it again.
  await saveSession({ userId: session.userId, name: session.name });
  redirect("/");
}
