"use client";
// Binds the files attached to the message being written (lib/client/file-uploads) to React.
import { useEffect, useState, useSyncExternalStore } from "react";
import { createUploadDraft, type DraftUploads, type UploadDraft } from "@/lib/client/file-uploads";

export function useUploadDraft(
  roomCode: string,
  fileBytes: number,
): { draft: UploadDraft; uploads: DraftUploads } {
  // The room remounts per code (its key), so one draft per mounted room.
  const [draft] = useState(() => createUploadDraft(roomCode, { fileBytes }));
  useEffect(() => () => draft.close(), [draft]);
  const uploads = useSyncExternalStore(draft.subscribe, draft.getSnapshot, draft.getSnapshot);
  return { draft, uploads };
}
