import { renderToStaticMarkup } from "react-dom/server";
import { prerenderToNodeStream } from "react-dom/static";
import { describe, expect, it } from "vitest";
import { MessageMarkdown } from "@/components/room/message-markdown";
import { MessageText } from "@/components/room/message-text";
import { needsMarkdown, plainExcerpt } from "@/lib/client/message-format";

/** The markup inside the renderer's wrapper. */
const html = (body: string, mentionOf?: string) =>
  renderToStaticMarkup(<MessageMarkdown body={body} mentionOf={mentionOf} />)
    .replace(/^<div [^>]*>/, "")
    .replace(/<\/div>$/, "");

/** The attributes of every `<a>` in the markup. */
const links = (markup: string) => [...markup.matchAll(/<a ([^>]*)>/g)].map((match) => match[1]);

describe("formatted messages", () => {
  it("render bold, italic, strikethrough and inline code", () => {
    const markup = html("**bold** *italic* _also_ ~~gone~~ `a < b`");
    expect(markup).toContain("<strong>bold</strong>");
    expect(markup).toContain("<em>italic</em>");
    expect(markup).toContain("<em>also</em>");
    expect(markup).toContain("<del>gone</del>");
    expect(markup).toContain("<code>a &lt; b</code>");
  });

  it("render a fenced code block verbatim, with a copy button", () => {
    const markup = html("look:\n```js\nconst a = 1;\n  if (a) **x**\n```");
    expect(markup).toMatch(
      /<pre[^>]*><code class="language-js">const a = 1;\n {2}if \(a\) \*\*x\*\*\n<\/code><\/pre>/,
    );
    expect(markup).toContain('aria-label="Copy code block"');
  });

  it("render quotes and both kinds of lists", () => {
    const markup = html("> quoted\n\n- one\n- two\n\n3. three\n4. four");
    expect(markup).toMatch(/<blockquote[^>]*>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    expect(markup).toMatch(/<ul[^>]*>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(markup).toMatch(/<ol start="3"[^>]*>\s*<li>three<\/li>\s*<li>four<\/li>\s*<\/ol>/);
  });

  it("keep a single newline as a line break, as typed in a chat", () => {
    expect(html("first\nsecond")).toContain("first<br/>");
  });

  it("leave single tildes, headings, rules and tables as the characters typed", () => {
    const markup = html("~5 min or ~10~\n# of people\n---\n| a | b |\n|---|---|");
    expect(markup).not.toMatch(/<(del|h\d|hr|table)\b/);
    expect(markup).toContain("~5 min or ~10~");
    expect(markup).toContain("# of people");
    expect(markup).toContain("| a | b |");
  });

  it("show raw HTML as text, never as elements", () => {
    const body = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <b>x</b>\n<div>y</div>';
    const markup = html(body);
    expect(markup).not.toMatch(/<(script|img|b|div)\b/);
    expect(markup).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(markup).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(markup).toContain("&lt;div&gt;y&lt;/div&gt;");
  });

  it("show character references as typed, as they read before formatting", () => {
    const markup = html("**Tom &amp; Jerry** &lt;b&gt; &#42;");
    expect(markup).toContain("<strong>Tom &amp;amp; Jerry</strong> &amp;lt;b&amp;gt; &amp;#42;");
  });

  it("make only http, https and mailto addresses clickable", () => {
    const markup = html(
      "[a](javascript:alert(1)) [b](data:text/html,<b>x</b>) <javascript:alert(3)> [c](/room) " +
        "[d](vbscript:x) [ok](https://example.org/a?b=1) [mail](mailto:ann@example.org)",
    );
    expect(links(markup)).toEqual([
      'href="https://example.org/a?b=1" target="_blank" rel="noopener noreferrer nofollow" class="underline decoration-1 underline-offset-2"',
      'href="mailto:ann@example.org" target="_blank" rel="noopener noreferrer nofollow" class="underline decoration-1 underline-offset-2"',
    ]);
    expect(markup).toContain("<span>a</span> <span>b</span> <span>javascript:alert(3)</span>");
  });

  it("turn image syntax into a link, so nothing loads by itself", () => {
    const markup = html("![a cat](https://example.org/cat.png) ![x](javascript:alert(1))");
    expect(markup).not.toContain("<img");
    expect(links(markup)).toHaveLength(1);
    expect(markup).toMatch(/<a href="https:\/\/example.org\/cat.png"[^>]*>a cat<\/a>/);
    expect(markup).toContain("<span>x</span>");
  });

  it("link bare addresses: www. as https, URLs without the sentence's full stop, e-mail", () => {
    const markup = html(
      "see www.example.org. Or http://a.example/x, mailto:ann@example.org and ben@example.org; not javascript:alert(1)",
    );
    expect(markup).toMatch(/<a href="https:\/\/www.example.org\/"[^>]*>www.example.org<\/a>\./);
    expect(markup).toMatch(/<a href="http:\/\/a.example\/x"[^>]*>http:\/\/a.example\/x<\/a>,/);
    expect(markup).toMatch(/<a href="mailto:ann@example.org"[^>]*>mailto:ann@example.org<\/a>/);
    expect(markup).toMatch(/<a href="mailto:ben@example.org"[^>]*>ben@example.org<\/a>/);
    expect(links(markup)).toHaveLength(4);
  });
});

describe("mentions in a message", () => {
  it("mark the reader's name, in formatted and plain bodies alike", () => {
    expect(html("**hey @Bob**, see `@Bob` and [Bob](https://b.example)", "Bob")).toMatch(
      /<strong>hey <mark[^>]*>@Bob<\/mark><\/strong>, see <code>@Bob<\/code> and <a [^>]*>Bob<\/a>/,
    );
    expect(
      renderToStaticMarkup(<MessageText body="thanks bob, and Bobby" mentionOf="Bob" />),
    ).toMatch(/thanks <mark[^>]*>bob<\/mark>, and Bobby/);
  });

  it("mark nobody else's name, and nothing in the reader's own messages", () => {
    expect(html("**@Alice** and @Bob", "Alice")).not.toMatch(/<mark[^>]*>@Bob/);
    expect(html("**@Alice** and @Bob")).not.toContain("<mark");
    expect(renderToStaticMarkup(<MessageText body="hi @Bob" />)).not.toContain("<mark");
  });
});

describe("the plain path", () => {
  it("takes only bodies that Markdown would not change", () => {
    for (const plain of [
      "see you at 5",
      "ok! 100% sure (really) - no?",
      "#1 fan",
      "a -> b",
      "-5°",
    ]) {
      expect(needsMarkdown(plain), plain).toBe(false);
      // Same text through the renderer: nothing was lost by skipping it.
      expect(html(plain)).toBe(`<p>${renderToStaticMarkup(<>{plain}</>)}</p>`);
    }
    for (const formatted of [
      "**b**",
      "a_b_",
      "~~x~~",
      "`c`",
      "[x](https://e.org)",
      "<b>",
      "&amp;",
      "a\\*",
      "> q",
      "- item",
      "2. item",
      "www.e.org",
      "https://e.org",
      "ann@e.org",
    ]) {
      expect(needsMarkdown(formatted), formatted).toBe(true);
    }
  });

  it("serves formatted HTML from the server, before any script runs", async () => {
    const { prelude } = await prerenderToNodeStream(<MessageText body="**now** and `then`" />);
    let markup = "";
    for await (const chunk of prelude) markup += chunk;
    expect(markup).toContain("<strong>now</strong>");
    expect(markup).toContain("<code>then</code>");
  });
});

describe("a plain-text excerpt of a body", () => {
  it("drops the marks and keeps the words, on one line", () => {
    expect(
      plainExcerpt("> **Bold** _it_ ~~no~~ `code`\n- [a link](https://e.org)\n```js\nx = 1\n```"),
    ).toBe("Bold it no code a link x = 1");
    expect(plainExcerpt("snake_case_name stays")).toBe("snake_case_name stays");
  });

  it("is cut with an ellipsis", () => {
    expect(plainExcerpt("word ".repeat(50), 20)).toBe("word word word word…");
  });
});
