"use client";
import { useEffect, useState } from "react";
import { copyText } from "@/lib/client/clipboard";

/** A button that copies `text` and says "Copied" for a moment. */
export function CopyButton({
  text,
  label,
  className,
  disabled,
}: {
  disabled?: boolean;
  text: () => string;
  label: string;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const feedback = state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "";
  // Label and outcomes share one grid cell, so the button keeps its width and nothing moves.
  const face = (shown: boolean) => `col-start-1 row-start-1 ${shown ? "" : "invisible"}`;
  return (
    <button
      type="button"
      disabled={disabled}
      // The name stays the action while the face shows the outcome.
      aria-label={label}
      className={`${className} inline-grid`}
      onClick={async () => setState((await copyText(text())) ? "copied" : "failed")}
    >
      <span className={face(state === "idle")}>{label}</span>
      <span aria-hidden className={face(state === "copied")}>
        Copied
      </span>
      <span aria-hidden className={face(state === "failed")}>
        Copy failed
      </span>
      <span aria-live="polite" className="sr-only">
        {feedback}
      </span>
    </button>
  );
}
