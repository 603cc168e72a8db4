"use server";
// Create, join and leave: the only ways a session gains or loses a room.
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { roomCodeSchema } from "@/lib/validation";
import { CLIENT_IP_HEADER } from "@/lib/server/client-address";
import { getSession, saveSession } from "@/lib/server/next-session";
import {
  chooseRoom,
  nameTakenError,
  PASSPHRASE_ERRORS,
  type EntryField,
  type EntryResult,
} from "@/lib/server/rooms";
import { getRuntime } from "@/lib/server/runtime";
import { MAX_SESSION_ROOMS, withRoom, withoutRoom } from "@/lib/server/session";
import { storageMessage, storageProblem } from "@/lib/server/store/write-health";

export interface HomeFormState {
  error?: string;
  /** The field the error is about; none for errors about the whole attempt. */
  field?: EntryField;
  /** What was typed, so an error does not wipe the form (a passphrase is never sent back). */
  values: { name: string; code: string };
}

// No length caps here: the body is capped before it arrives, and the name and code rules give
// the messages people should see for an over-long name or code.
const formSchema = z.object({
  intent: z.enum(["create", "join"]),
  name: z.string().default(""),
  code: z.string().default(""),
  passphrase: z.string().default(""),
});

export async function enterRoom(
  _previous: HomeFormState,
  formData: FormData,
): Promise<HomeFormState> {
  const form = formSchema.safeParse({
    intent: formData.get("intent"),
    name: formData.get("name") ?? undefined,
    code: formData.get("code") ?? undefined,
    passphrase: formData.get("passphrase") ?? undefined,
  });
  if (!form.success)
    return { error: "Please use the form's buttons.", values: { name: "", code: "" } };
  const { intent, name, code, passphrase } = form.data;

  const runtime = getRuntime();
  const session = await getSession();
  const userId = session.userId ?? randomUUID();
  // Rooms this browser left elsewhere, was removed from or that expired free their places first.
  const rooms = await roomsStillJoined(userId, session.rooms);
  const wanted = roomCodeSchema.safeParse(code).data;
  if (rooms.length >= MAX_SESSION_ROOMS && !(wanted && rooms.includes(wanted))) {
    return {
      error: `You are in ${MAX_SESSION_ROOMS} rooms already. Leave one to join another.`,
      values: { name, code },
    };
  }
  const ip = (await headers()).get(CLIENT_IP_HEADER) ?? "unknown";
  let entry: EntryResult;
  let joined: Awaited<ReturnType<typeof runtime.membership.join>> | undefined;
  try {
    entry = await chooseRoom(
      { ...runtime, membersPerRoom: runtime.config.limits.membersPerRoom },
      { intent, name, code, userId, ip, passphrase },
    );
    if (entry.ok)
      joined = await runtime.membership.join(
        entry.roomCode,
        { userId, name: entry.name },
        ip,
        entry.passphraseHash,
      );
  } catch (error) {
    // A full or read-only disk is the operator's to fix; the person is told so, not "error 500".
    const problem = storageProblem(error);
    if (!problem) throw error;
    runtime.log.error({ err: error, step: intent }, "room entry could not be stored");
    return { error: storageMessage(problem, "open rooms"), values: { name, code } };
  }
  if (!entry.ok) return { error: entry.error, field: entry.field, values: { name, code } };

  if (joined?.kind === "refused") {
    // The answer shows the room exists: it costs a guess, like a wrong code.
    await runtime.roomAttempts.take(ip);
    const field = joined.reason === "passphrase" ? "passphrase" : "code";
    return { error: JOIN_REFUSALS[joined.reason], field, values: { name, code } };
  }
  // Another person may have taken a look-alike name since the check.
  if (joined?.kind === "name-taken")
    return { error: nameTakenError(entry.name), field: "name", values: { name, code } };
  await saveSession({ userId, name: entry.name, rooms: withRoom(rooms, entry.roomCode) });
  redirect(`/r/${entry.roomCode}`);
}

const JOIN_REFUSALS = {
  locked: "This room is locked: nobody new can join it.",
  removed:
    "The room's owner removed you (or someone at your address) from it: you cannot join again.",
  "room-gone": "Room does not exist.",
  passphrase: PASSPHRASE_ERRORS.changed,
} as const;

/** Leaves one room; the browser stays in its others. */
export async function leaveRoom(formData: FormData): Promise<void> {
  const code = roomCodeSchema.safeParse(formData.get("code"));
  const session = await getSession();
  if (code.success && session.userId && session.rooms?.includes(code.data)) {
    await getRuntime().membership.leave(code.data, session.userId);
    // The name stays, so the home page can offer it again.
    await saveSession({ ...session, rooms: withoutRoom(session.rooms, code.data) });
  }
  redirect("/");
}

/** Drops the rooms that are gone from the session, once the home page has said so. */
export async function forgetGoneRooms(): Promise<void> {
  const session = await getSession();
  if (!session.userId || !session.rooms?.length) return;
  const rooms = await roomsStillJoined(session.userId, session.rooms);
  if (rooms.length !== session.rooms.length) await saveSession({ ...session, rooms });
}

async function roomsStillJoined(
  userId: string,
  rooms: readonly string[] | undefined,
): Promise<string[]> {
  if (!rooms?.length) return [];
  const joined = new Set(
    (await getRuntime().store.memberRooms(userId, rooms)).map((room) => room.code),
  );
  return rooms.filter((code) => joined.has(code));
}
