"use client";
// The opt-in for desktop notifications when someone writes your name.
import {
  turnOffMentionAlerts,
  turnOnMentionAlerts,
  useMentionAlertsSetting,
} from "@/lib/client/mention-alerts";

export function MentionAlertsToggle() {
  const state = useMentionAlertsSetting();
  if (state === "unsupported") return null;
  if (state === "blocked") {
    return (
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Notifications are blocked for this site in your browser&apos;s settings.
      </p>
    );
  }

  const on = state === "on";
  return (
    // Pulled out by the button's own padding, so its text lines up with the member names.
    <div className="-mx-1 space-y-1">
      <button
        type="button"
        aria-pressed={on}
        className="flex w-full items-center justify-between gap-3 rounded-lg px-1 py-1 text-left text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800"
        onClick={() => (on ? turnOffMentionAlerts() : void turnOnMentionAlerts())}
      >
        Notify me of mentions
        {/* A switch drawn for the eye; aria-pressed tells the same to assistive technology. */}
        <span
          aria-hidden
          className={`relative h-5 w-9 shrink-0 rounded-full transition-colors ${on ? "bg-accent-600" : "bg-slate-500"}`}
        >
          <span
            className={`absolute top-0.5 size-4 rounded-full bg-white shadow transition-[left] ${on ? "left-4.5" : "left-0.5"}`}
          />
        </span>
      </button>
      <p className="px-1 text-xs text-slate-600 dark:text-slate-400">
        A desktop notification when someone writes your name while this tab is in the background.
      </p>
    </div>
  );
}
