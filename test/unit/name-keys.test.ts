import { describe, expect, it } from "vitest";
import { nameKeys, skeleton } from "@/lib/server/names/name-keys";
import { displayNameSchema } from "@/lib/validation";

/** Two names clash when either key matches, the way the store compares them. */
const clash = (a: string, b: string) => {
  const [x, y] = [nameKeys(displayNameSchema.parse(a)), nameKeys(displayNameSchema.parse(b))];
  return x.folded === y.folded || x.shaped === y.shaped;
};

describe("name keys", () => {
  it("follow Unicode's confusables data (TR39 skeletons)", () => {
    expect(skeleton("\u0410lice")).toBe(skeleton("Alice"));
    expect(skeleton("paypa1")).toBe(skeleton("paypal"));
    expect(skeleton("rn")).toBe(skeleton("m"));
  });

  it.each([
    ["another case", "ALICE"],
    ["a Cyrillic А", "\u0410lice"],
    ["fullwidth letters", "\uff21\uff4c\uff49\uff43\uff45"],
    ["a capital I for the l", "AIice"],
    ["a Greek omicron and a digit", "Al\u0456c\u0435"],
  ])("make %s clash with Alice", (_what, twin) => {
    expect(clash("Alice", twin)).toBe(true);
  });

  it("make a decomposed Zoë clash with the composed one", () => {
    expect(clash("Zo\u00eb", "Zoe\u0308")).toBe(true);
  });

  it("keep different names apart", () => {
    expect(clash("Alice", "Alicia")).toBe(false);
    expect(clash("Ann", "Anne")).toBe(false);
    expect(clash("Zoë", "Zoe")).toBe(false);
  });
});
