"use server";
// Create, join and leave: the only ways a session gains or loses a room.
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { CLIENT_IP_HEADER } from "@/lib/server/client-address";
import { getSession } from "@/lib/server/next-session";
import { createRoom, isNameTaken } from "@/lib/server/rooms";
import { getRuntime } from "@/lib/server/runtime";
import { displayNameSchema, firstIssue, roomCodeSchema } from "@/lib/validation";

export interface HomeFormState {
  error?: string;
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
  const values = { name: form.data.name, code: form.data.code };
  const fail = (error: string): HomeFormState => ({ error, values });

  const name = displayNameSchema.safeParse(values.name);
  if (!name.success) return fail(firstIssue(name.error));

  const { store, membership, roomAttempts } = getRuntime();
  const ip = (await headers()).get(CLIENT_IP_HEADER) ?? "unknown";
  const tooManyAttempts = () => {
    const minutes = Math.ceil(roomAttempts.retryAfterSeconds(ip) / 60);
    return fail(
      `Too many attempts from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  };
  const session = await getSession();
  const userId = session.userId ?? randomUUID();

  let roomCode: string;
  if (form.data.intent === "create") {
    if (!roomAttempts.take(ip)) return tooManyAttempts();
    roomCode = await createRoom(store);
  } else {
    const code = roomCodeSchema.safeParse(values.code);
    if (!code.success) return fail(firstIssue(code.error));
    // Every wrong guess costs a token, and an address out of tokens may not guess at all,
    // so the code space cannot be walked from one address.
    if (roomAttempts.retryAfterSeconds(ip) > 0) return tooManyAttempts();
    if (!(await store.getRoom(code.data))) {
      roomAttempts.take(ip);
      return fail("Room does not exist.");
    }
    if (await isNameTaken(store, code.data, name.data, userId)) {
      return fail(
        `Someone in this room is already called “${name.data}”. Please choose another name.`,
      );
    }
    roomCode = code.data;
  }

  if (session.roomCode && session.roomCode !== roomCode && session.userId) {
    await membership.leave(session.roomCode, session.userId);
  }
  await membership.join(roomCode, { userId, name: name.data });
  session.userId = userId;
  session.name = name.data;
  session.roomCode = roomCode;
  await session.save();
  redirect(`/r/${roomCode}`);
}

export async function leaveRoom(): Promise<void> {
  const session = await getSession();
  if (session.roomCode && session.userId) {
    await getRuntime().membership.leave(session.roomCode, session.userId);
  }
  // The name stays, so the home page can offer it again.
  session.roomCode = undefined;
  await session.save();
  redirect("/");
}
