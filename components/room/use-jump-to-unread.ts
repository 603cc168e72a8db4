"use client";
// "Jump to first unread": offered while the "New messages" line is out of view (above, or not on
// the page at all); it puts the line on the page and scrolls to it.
import { useEffect, useState } from "react";

export function useJumpToUnread(firstUnread: number | null, showFrom: (seq: number) => void) {
  const [divider, setDivider] = useState<HTMLLIElement | null>(null);
  const [inView, setInView] = useState(false);
  const [seeking, setSeeking] = useState(false);

  useEffect(() => {
    if (!divider) return;
    const observer = new IntersectionObserver(([entry]) => setInView(entry!.isIntersecting));
    observer.observe(divider);
    return () => observer.disconnect();
  }, [divider]);

  useEffect(() => {
    if (!seeking || !divider) return;
    divider.scrollIntoView({ block: "center" });
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSeeking(false);
  }, [seeking, divider]);

  return {
    divider: setDivider,
    offScreen: firstUnread !== null && !(divider && inView),
    jump() {
      if (firstUnread === null) return;
      showFrom(firstUnread);
      setSeeking(true);
    },
  };
}
