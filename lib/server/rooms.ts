// Creating rooms and checking who may join them: the domain behind the home page's two buttons.
import { generateRoomCode } from "@/lib/room-code";
import type { ChatStore } from "./store/types";

/** With 31^6 ≈ 887 million codes a clash is rare; a few tries make it vanishingly so. */
const CODE_ATTEMPTS = 8;

export async function createRoom(store: ChatStore, now = Date.now()): Promise<string> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = generateRoomCode();
    if (await store.createRoom(code, now)) return code;
  }
  throw new Error(`No free room code after ${CODE_ATTEMPTS} attempts`);
}

/** Someone else in the room goes by this name now (names compare without case). */
export async function isNameTaken(
  store: ChatStore,
  roomCode: string,
  name: string,
  userId: string,
): Promise<boolean> {
  const wanted = name.toLocaleLowerCase();
  const present = await store.presentMembers(roomCode);
  return present.some(
    (member) => member.userId !== userId && member.name.toLocaleLowerCase() === wanted,
  );
}
