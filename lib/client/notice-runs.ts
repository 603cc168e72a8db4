// Join and leave notices stay stored one by one (catch-up needs them), but a run of them reads as
// one line, the way Mattermost and Matrix summarise them: "Ann, Ben and 3 others joined".
import type { ChatMessage } from "@/lib/chat-events";
import { nameList, noticeText } from "./message-format";

/** A text message, or a run of consecutive joined/left notices shown as one line. */
export type TimelineEntry =
  { kind: "message"; message: ChatMessage } | { kind: "notices"; notices: readonly ChatMessage[] };

/** Groups consecutive notices; messages stay one entry each. */
export function groupNotices(messages: readonly ChatMessage[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let run: ChatMessage[] | null = null;
  for (const message of messages) {
    if (message.kind === "text") {
      run = null;
      entries.push({ kind: "message", message });
    } else if (run) {
      run.push(message);
    } else {
      run = [message];
      entries.push({ kind: "notices", notices: run });
    }
  }
  return entries;
}

/** One line for a run: "Ann and Ben joined · Cy left" (each person named once per verb). */
export function summarizeNotices(notices: readonly ChatMessage[]): string {
  const byVerb = new Map<string, { names: string[]; unnamed: number }>();
  // Only joins and leaves read well as "names + verb"; a rename or an owner's action says more.
  const others: string[] = [];
  for (const notice of notices) {
    if (notice.kind !== "joined" && notice.kind !== "left") {
      others.push(noticeText(notice));
      continue;
    }
    const verb = byVerb.get(notice.kind) ?? { names: [], unnamed: 0 };
    if (!verb.names.includes(notice.authorName)) verb.names.push(notice.authorName);
    // A notice for a crowd counts its others without naming them.
    verb.unnamed += notice.others ?? 0;
    byVerb.set(notice.kind, verb);
  }
  return [
    ...[...byVerb].map(([verb, { names, unnamed }]) => `${nameList(names, unnamed)} ${verb}`),
    ...others,
  ].join(" · ");
}
