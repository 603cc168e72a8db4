"use client";
// The home form as the room page shows it to someone who has not joined. The room page names
// every client component it may render among its first scripts; a member's room never shows this
// form, so it is loaded only when a page actually renders it.
import { lazy, Suspense, type ComponentProps } from "react";

const HomeForm = lazy(() => import("./home-form").then((module) => ({ default: module.HomeForm })));

export function JoinForm(props: ComponentProps<typeof import("./home-form").HomeForm>) {
  return (
    <Suspense>
      <HomeForm {...props} />
    </Suspense>
  );
}
