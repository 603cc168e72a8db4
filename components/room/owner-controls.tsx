"use client";
// The owner's panel: name the room, lock it, set a passphrase, delete it. Per-member actions
// (remove, make owner) sit in the member list. The server decides; a refusal shows its reason.
import { useState } from "react";
import {
  PASSPHRASE_MAX_LENGTH,
  PASSPHRASE_MIN_LENGTH,
  ROOM_NAME_MAX_LENGTH,
  type OwnerAction,
  type RoomState,
} from "@/lib/chat-events";

/** Runs an action; a refusal's reason is shown in the panel. */
export type RunOwnerAction = (action: OwnerAction) => Promise<void>;

const input =
  "min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
const button =
  "rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";

export function OwnerControls({
  room,
  run,
  error,
}: {
  room: RoomState;
  run: RunOwnerAction;
  /** Why the last owner action, from here or the member list, was refused. */
  error: string | null;
}) {
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  async function perform(action: OwnerAction) {
    setBusy(true);
    await run(action);
    setBusy(false);
  }

  return (
    <section aria-label="Owner controls" className="space-y-3">
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
        You own this room
      </h2>
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const name = new FormData(event.currentTarget).get("room-name");
          void perform({ type: "name", name: typeof name === "string" ? name : "" });
        }}
      >
        <label className="sr-only" htmlFor="room-name">
          Room name
        </label>
        <input
          id="room-name"
          name="room-name"
          defaultValue={room.name}
          key={room.name}
          maxLength={ROOM_NAME_MAX_LENGTH}
          placeholder="Name the room"
          className={input}
        />
        <button type="submit" className={button} disabled={busy}>
          Save name
        </button>
      </form>
      <form
        className="flex flex-wrap gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const passphrase = new FormData(form).get("passphrase");
          if (typeof passphrase !== "string") return;
          // The field empties either way: a passphrase does not linger on the page.
          form.reset();
          void perform({ type: "passphrase", passphrase });
        }}
      >
        <label className="sr-only" htmlFor="room-passphrase">
          Passphrase
        </label>
        <input
          id="room-passphrase"
          name="passphrase"
          type="password"
          required
          minLength={PASSPHRASE_MIN_LENGTH}
          maxLength={PASSPHRASE_MAX_LENGTH}
          autoComplete="new-password"
          placeholder={room.hasPassphrase ? "A new passphrase" : "Passphrase for newcomers"}
          aria-describedby="room-passphrase-hint"
          // Wide enough to read what was typed; the button wraps below in a narrow panel.
          className={`${input} min-w-44`}
        />
        <button type="submit" className={button} disabled={busy}>
          {room.hasPassphrase ? "Change passphrase" : "Set passphrase"}
        </button>
      </form>
      <p id="room-passphrase-hint" className="text-xs text-slate-600 dark:text-slate-400">
        {room.hasPassphrase
          ? "Newcomers need the passphrase besides the code. Members stay."
          : `Optional: newcomers would need it besides the code (${PASSPHRASE_MIN_LENGTH}+ characters).`}
      </p>
      <div className="flex flex-wrap gap-2">
        {room.hasPassphrase && (
          <button
            type="button"
            className={button}
            disabled={busy}
            onClick={() => void perform({ type: "passphrase", passphrase: null })}
          >
            Remove passphrase
          </button>
        )}
        <button
          type="button"
          className={button}
          disabled={busy}
          onClick={() => void perform({ type: "lock", locked: !room.locked })}
        >
          {room.locked ? "Unlock room" : "Lock room"}
        </button>
        {confirmDelete ? (
          <>
            <button
              type="button"
              className={`${button} text-red-700 dark:text-red-400`}
              disabled={busy}
              onClick={() => void perform({ type: "delete" })}
            >
              Delete for everyone
            </button>
            <button type="button" className={button} onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button
            type="button"
            className={`${button} text-red-700 dark:text-red-400`}
            onClick={() => setConfirmDelete(true)}
          >
            Delete room
          </button>
        )}
      </div>
      <p role="alert" className="min-h-5 text-sm text-red-700 dark:text-red-400">
        {error}
      </p>
    </section>
  );
}
