// Hostile bodies against the message renderer: scheme tricks the basic vectors do not try, links
// inside links, and bodies built to make a Markdown parser slow.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageMarkdown } from "@/components/room/message-markdown";
import { needsMarkdown } from "@/lib/client/message-format";
import { MESSAGE_MAX_LENGTH } from "@/lib/text-rules";

const html = (body: string, mentionOf?: string) =>
  renderToStaticMarkup(<MessageMarkdown body={body} mentionOf={mentionOf} />);
const hrefs = (markup: string) => [...markup.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);

describe("hostile Markdown", () => {
  it("links nowhere but http(s) and mailto, however the scheme is written", () => {
    const markup = html(
      [
        "[a](&#106;avascript:alert(1))",
        "[b](jav&#x09;ascript:alert(1))",
        "[c](JaVaScRiPt:alert(1))",
        "[d]( javascript:alert(1))",
        "[e](<javascript:alert(1)>)",
        "<vbscript:msgbox(1)>",
        "[f](data:text/html;base64,PHNjcmlwdD4=)",
        "[g][ref]\n\n[ref]: javascript:alert(1)",
        "[h](//evil.example/x)",
        "[i](file:///etc/passwd)",
        "[[j](https://ok.example)](javascript:alert(1))",
        '[k](https://ok.example "x\\" onmouseover=\\"alert(1)")',
      ].join("\n\n"),
    );
    for (const href of hrefs(markup)) expect(href).toMatch(/^https:\/\/ok\.example\/?$/);
    expect(markup).not.toMatch(/javascript:alert\(1\)"|onmouseover="/i);
    expect(markup.match(/<a /g)?.length ?? 0).toBeLessThanOrEqual(2);
    for (const link of markup.matchAll(/<a [^>]*>/g)) {
      expect(link[0]).toContain('target="_blank"');
      expect(link[0]).toContain('rel="noopener noreferrer nofollow"');
    }
  });

  it("renders pathological bodies of the longest length quickly", () => {
    const half = MESSAGE_MAX_LENGTH / 2;
    const bodies = {
      quotes: ">".repeat(MESSAGE_MAX_LENGTH),
      stars: "*".repeat(MESSAGE_MAX_LENGTH),
      starsAndWords: "*a ".repeat(MESSAGE_MAX_LENGTH / 3),
      underscores: "_a".repeat(half),
      brackets: "[".repeat(half) + "]".repeat(half),
      linkOpeners: "[a](".repeat(MESSAGE_MAX_LENGTH / 4),
      backticks: "`a".repeat(half),
      lists: "- ".repeat(half),
      tildes: "~~a".repeat(MESSAGE_MAX_LENGTH / 3),
      autolinks: "www.a".repeat(MESSAGE_MAX_LENGTH / 5),
      entities: "&#1".repeat(MESSAGE_MAX_LENGTH / 3),
      mentions: "Ada ".repeat(half / 2),
    };
    const slowest: [string, number][] = Object.entries(bodies).map(([name, body]) => {
      const start = performance.now();
      // As MessageText does: only bodies that need the parser get it.
      if (needsMarkdown(body)) html(body, "Ada");
      return [name, performance.now() - start];
    });
    // A body is parsed on every reader's device and in the server's page of 50 messages. Inline
    // runs (backticks, tildes) took up to ~0.4 s here on a busy shared machine.
    expect(slowest.filter(([, ms]) => ms > 1000)).toEqual([]);
  });

  it("never overflows the stack, however deep a body nests", () => {
    for (const body of [">".repeat(MESSAGE_MAX_LENGTH), "- ".repeat(MESSAGE_MAX_LENGTH / 2)]) {
      expect(needsMarkdown(body)).toBe(false);
      // Were it rendered as Markdown all the same, past 16 levels it shows as typed.
      expect(html(body)).toContain("&gt;&gt;&gt;".slice(0, body.startsWith(">") ? 12 : 0));
    }
    expect(needsMarkdown("> quoted\n> > twice\n- a\n  - b")).toBe(true);
  });
});
