"use client";
// How someone hears of their name: a notification where the page may show one, a sound anywhere.
// On a plain http address notifications do not exist: say so, rather than hiding the switch.
import { useHydrated } from "@/lib/client/use-hydrated";
import {
  turnOffMentionAlerts,
  turnOnMentionAlerts,
  useMentionAlertsSetting,
} from "@/lib/client/mention-alerts";
import { setMentionSound, useMentionSoundSetting } from "@/lib/client/mention-sound";

const note = "px-1 text-xs text-slate-600 dark:text-slate-400";

export function MentionAlertsToggle() {
  const notifications = useMentionAlertsSetting();
  const sound = useMentionSoundSetting();
  const hydrated = useHydrated();

  return (
    <section aria-label="Alerts for mentions" className="-mx-1 space-y-3">
      {notifications === "blocked" ? (
        <p className={note}>
          Notifications are blocked for this site in your browser&apos;s settings.
        </p>
      ) : notifications === "unsupported" ? (
        hydrated && (
          <div className="space-y-1">
            <Switch label="Notify me of mentions" on={false} disabled onClick={() => {}} />
            <p className={note}>
              {window.isSecureContext
                ? "This browser cannot show notifications here."
                : `Notifications need a secure (https) address; this page was opened over plain http at ${window.location.hostname}.`}{" "}
              The sound below and the flashing tab title work here.
            </p>
          </div>
        )
      ) : (
        <div className="space-y-1">
          <Switch
            label="Notify me of mentions"
            on={notifications === "on"}
            onClick={() =>
              notifications === "on" ? turnOffMentionAlerts() : void turnOnMentionAlerts()
            }
          />
          <p className={note}>
            A notification when someone writes your name while this tab is in the background.
          </p>
        </div>
      )}
      <Switch
        label="Play a sound for mentions"
        on={sound}
        onClick={() => setMentionSound(!sound)}
      />
    </section>
  );
}

function Switch({
  label,
  on,
  disabled,
  onClick,
}: {
  label: string;
  on: boolean;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={on}
      disabled={disabled}
      className="flex w-full items-center justify-between gap-3 rounded-lg px-1 py-1 text-left text-sm font-medium hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 dark:hover:bg-slate-800"
      onClick={onClick}
    >
      {label}
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
  );
}
