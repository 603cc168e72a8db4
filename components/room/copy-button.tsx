"use client";
import { useEffect, useState } from "react";
import { copyText } from "@/lib/client/clipboard";

/** A button that copies `text` and says "Copied" for a moment. */
export function CopyButton({
  text,
  label,
  className,
}: {
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

  return (
    <button
      type="button"
      className={className}
      onClick={async () => setState((await copyText(text())) ? "copied" : "failed")}
    >
      {label}
      <span aria-live="polite" className="ml-1.5 text-xs font-normal">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : ""}
      </span>
    </button>
  );
}
