// Desktop notifications for mentions: off until the person turns them on with a click, which is
// also the only moment the browser's permission prompt may appear.
import { useSyncExternalStore } from "react";

export type MentionAlerts = "unsupported" | "blocked" | "off" | "on";

const PREFERENCE_KEY = "roomcode.mentionAlerts";
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  listeners.forEach((listener) => listener());
}

function preference(): string | null {
  try {
    return localStorage.getItem(PREFERENCE_KEY);
  } catch {
    return null;
  }
}

function setPreference(value: "on" | "off"): void {
  try {
    localStorage.setItem(PREFERENCE_KEY, value);
  } catch {
    // Without storage the choice lasts until the page is reloaded.
  }
  changed();
}

/** Notifications need a secure page (https or localhost); on http://192.168.x.y they do not exist. */
export function mentionAlertsState(): MentionAlerts {
  if (!window.isSecureContext || !("Notification" in window)) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  return Notification.permission === "granted" && preference() === "on" ? "on" : "off";
}

export function useMentionAlertsSetting(): MentionAlerts {
  return useSyncExternalStore(subscribe, mentionAlertsState, () => "unsupported");
}

export async function turnOnMentionAlerts(): Promise<void> {
  const permission =
    Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  if (permission === "granted") setPreference("on");
  else changed();
}

export function turnOffMentionAlerts(): void {
  setPreference("off");
}

export function showMentionAlert(title: string, body: string, tag: string): void {
  try {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  } catch {
    // Mobile Chrome only notifies through a service worker: no alert there, the title count remains.
  }
}
