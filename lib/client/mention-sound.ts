// A short chime for mentions: opt-in and remembered, and unlike notifications it works on a plain
// http LAN address. Drawn with Web Audio, so there is no sound file to load.
import { useSyncExternalStore } from "react";

const PREFERENCE_KEY = "roomcode.mentionSound";
const listeners = new Set<() => void>();
let audio: AudioContext | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function mentionSoundOn(): boolean {
  try {
    return localStorage.getItem(PREFERENCE_KEY) === "on";
  } catch {
    return false;
  }
}

export function useMentionSoundSetting(): boolean {
  return useSyncExternalStore(subscribe, mentionSoundOn, () => false);
}

/** Called from a click: the one moment a browser lets a page start its audio. */
export function setMentionSound(on: boolean): void {
  try {
    localStorage.setItem(PREFERENCE_KEY, on ? "on" : "off");
  } catch {
    // Without storage the choice lasts until the page is reloaded.
  }
  if (on) {
    unlock();
    playMentionSound();
  }
  listeners.forEach((listener) => listener());
}

function unlock(): AudioContext | null {
  if (typeof AudioContext === "undefined") return null;
  audio ??= new AudioContext();
  if (audio.state === "suspended") void audio.resume();
  return audio;
}

/** After a reload the audio starts suspended until the person next touches the page. */
export function unlockMentionSoundOnNextGesture(): () => void {
  const wake = () => {
    if (mentionSoundOn()) unlock();
  };
  window.addEventListener("pointerdown", wake, { once: true });
  window.addEventListener("keydown", wake, { once: true });
  return () => {
    window.removeEventListener("pointerdown", wake);
    window.removeEventListener("keydown", wake);
  };
}

export function playMentionSound(): void {
  const context = unlock();
  if (!context) return;
  const start = context.currentTime;
  // Two soft notes, a fifth apart: noticeable without being an alarm.
  [880, 1320].forEach((frequency, index) => {
    const tone = context.createOscillator();
    const volume = context.createGain();
    tone.frequency.value = frequency;
    const at = start + index * 0.12;
    volume.gain.setValueAtTime(0.0001, at);
    volume.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
    tone.connect(volume).connect(context.destination);
    tone.start(at);
    tone.stop(at + 0.3);
  });
}
