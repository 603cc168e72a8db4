"use client";
// Name and code, and the two ways in. With `roomCode` set (a shared link) only the name is asked.
// A passphrase field appears only once the server says the room needs one, so only someone with
// a valid code learns that it does.
// Enter does what the field is for: in the code field (or with a code typed) it joins, otherwise
// it creates. An error shows at its field, which gets focus back.
import { useActionState, useEffect, useRef, type KeyboardEvent } from "react";
import { enterRoom, type HomeFormState } from "@/app/actions";
import { PASSPHRASE_MAX_LENGTH } from "@/lib/chat-events";
import { rememberedName } from "@/lib/client/remembered-name";
import { normalizeRoomCode } from "@/lib/room-code";
import { NAME_MAX_LENGTH } from "@/lib/text-rules";

const inputClass =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2.5 text-base shadow-sm placeholder:text-slate-400 dark:border-slate-700 dark:bg-slate-900";
const primaryButton =
  "w-full rounded-lg bg-accent-600 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-accent-700 disabled:opacity-60";
const secondaryButton =
  "w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-semibold hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800";

export function HomeForm({ defaultName, roomCode }: { defaultName: string; roomCode?: string }) {
  const [state, formAction, pending] = useActionState<HomeFormState, FormData>(enterRoom, {
    values: { name: defaultName, code: roomCode ?? "" },
  });
  const nameInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const passphraseInput = useRef<HTMLInputElement>(null);
  const createButton = useRef<HTMLButtonElement>(null);
  const joinButton = useRef<HTMLButtonElement>(null);

  // The session's name is rendered on the server; a name this browser remembers can only be
  // filled in after hydration, into the still empty field, so server and client HTML agree.
  useEffect(() => {
    const input = nameInput.current;
    if (input && input.value === "") input.value = rememberedName();
  }, []);

  // After a refused attempt, focus goes where the fix is typed.
  useEffect(() => {
    if (state.field === "passphrase") passphraseInput.current?.focus();
    else if (state.field === "code") codeInput.current?.focus();
    else if (state.field === "name") nameInput.current?.focus();
  }, [state]);

  /** Without this, Enter anywhere presses the form's first button: Create room. */
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== "Enter" || !(event.target instanceof HTMLInputElement)) return;
    if (event.nativeEvent.isComposing) return;
    event.preventDefault();
    const codeTyped =
      event.target === codeInput.current ||
      event.target === passphraseInput.current ||
      codeInput.current?.value.trim();
    const button = roomCode || codeTyped ? joinButton.current : createButton.current;
    if (!pending) event.currentTarget.requestSubmit(button);
  }

  type Field = NonNullable<HomeFormState["field"]>;
  const fieldError = (field: Field) =>
    state.error && state.field === field
      ? { "aria-invalid": true, "aria-describedby": `${field}-error` }
      : {};
  const errorLine = (field: Field) =>
    state.error &&
    state.field === field && (
      <p id={`${field}-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
        {state.error}
      </p>
    );

  const passphraseField = state.field === "passphrase" && (
    <div className="space-y-1.5">
      <label htmlFor="passphrase" className="block text-sm font-medium">
        Room passphrase
      </label>
      <input
        ref={passphraseInput}
        id="passphrase"
        name="passphrase"
        type="password"
        className={inputClass}
        maxLength={PASSPHRASE_MAX_LENGTH}
        autoComplete="off"
        {...fieldError("passphrase")}
      />
      {errorLine("passphrase")}
    </div>
  );

  return (
    <form
      action={formAction}
      onKeyDown={onKeyDown}
      aria-busy={pending}
      className="space-y-5 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="space-y-1.5">
        <label htmlFor="name" className="block text-sm font-medium">
          Your name
        </label>
        <input
          ref={nameInput}
          id="name"
          name="name"
          className={inputClass}
          defaultValue={state.values.name}
          maxLength={NAME_MAX_LENGTH * 2}
          autoComplete="nickname"
          placeholder="e.g. Alice"
          autoFocus
          {...fieldError("name")}
        />
        {errorLine("name")}
      </div>

      {roomCode && passphraseField}

      {roomCode ? (
        <>
          <input type="hidden" name="code" value={roomCode} />
          <button
            ref={joinButton}
            type="submit"
            name="intent"
            value="join"
            className={primaryButton}
            disabled={pending}
          >
            Join room
          </button>
        </>
      ) : (
        <>
          <button
            ref={createButton}
            type="submit"
            name="intent"
            value="create"
            className={primaryButton}
            disabled={pending}
          >
            Create room
          </button>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
            <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
            or join one
            <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
          </div>
          <div className="space-y-1.5">
            <label htmlFor="code" className="block text-sm font-medium">
              Room code
            </label>
            <input
              ref={codeInput}
              id="code"
              name="code"
              className={`${inputClass} font-mono uppercase tracking-widest placeholder:font-sans placeholder:normal-case placeholder:tracking-normal`}
              defaultValue={state.values.code}
              // A pasted room link becomes its code at once, so people see what they will join.
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (value.includes("/r/")) event.currentTarget.value = normalizeRoomCode(value);
              }}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              placeholder="K7QX2M or a room link"
              {...fieldError("code")}
            />
            {errorLine("code")}
          </div>
          {passphraseField}
          <button
            ref={joinButton}
            type="submit"
            name="intent"
            value="join"
            className={secondaryButton}
            disabled={pending}
          >
            Join room
          </button>
        </>
      )}

      {/* Read out whichever field it belongs to; shown here only when it is about no one field. */}
      <p
        role="alert"
        className={
          state.field ? "sr-only" : "min-h-5 text-sm font-medium text-red-700 dark:text-red-400"
        }
      >
        {state.error}
      </p>
    </form>
  );
}
