// The Markdown a message may use, as remark plugins and react-markdown settings: a chat subset
// with no raw HTML, no images, no headings, and links only to http(s) and mailto addresses.
import type { Link, Parents, PhrasingContent, Root, Text } from "mdast";
import { findAndReplace } from "mdast-util-find-and-replace";
import { gfmAutolinkLiteralFromMarkdown } from "mdast-util-gfm-autolink-literal";
import { gfmStrikethroughFromMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmAutolinkLiteral } from "micromark-extension-gfm-autolink-literal";
import { gfmStrikethrough } from "micromark-extension-gfm-strikethrough";
// Its types declare where a processor keeps parser extensions.
import type {} from "remark-parse";
import type { Processor } from "unified";
import { SKIP, visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { MAX_NESTING } from "./message-format";
import { mentionPattern } from "./unread";

/**
 * Chat text is not a document: "# of people", a line of "---" or an indented paste stay as typed,
 * and `<b>`, `<img onerror>` or `&amp;` show as the characters written instead of becoming HTML.
 */
const TYPED_AS_TEXT = [
  "headingAtx",
  "setextUnderline",
  "thematicBreak",
  "codeIndented",
  "htmlFlow",
  "htmlText",
  "characterReference",
];

/**
 * Below `MAX_NESTING`, a node keeps its content as the characters typed: ~2000 nested levels
 * would overflow the stack of the recursive tree walkers after the parser and crash the room
 * page. Iterative, so itself safe at any depth; it runs before every other (recursive) transform.
 */
function flattenDeep(tree: Root, source: string): void {
  const stack: [Parents, number][] = [[tree, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    const first = node.children[0]?.position?.start.offset;
    const last = node.children.at(-1)?.position?.end.offset;
    // A list's children must stay list items: its items are cut instead, one level down.
    if (depth >= MAX_NESTING && node.type !== "list" && first !== undefined && last !== undefined) {
      const text: Text = { type: "text", value: source.slice(first, last) };
      const block = node.type === "blockquote" || node.type === "listItem";
      node.children = block ? [{ type: "paragraph", children: [text] }] : [text];
      continue;
    }
    for (const child of node.children) if ("children" in child) stack.push([child, depth + 1]);
  }
}

/**
 * Of GitHub's extensions only strikethrough (~~double tilde~~: "~5 min" stays text) and bare
 * links (www., https://, e-mail addresses); tables, footnotes and task lists stay plain text.
 */
export function remarkChatSubset(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(
    gfmStrikethrough({ singleTilde: false }),
    gfmAutolinkLiteral(),
    { disable: { null: TYPED_AS_TEXT } },
  );
  (data.fromMarkdownExtensions ??= []).push(
    gfmStrikethroughFromMarkdown(),
    gfmAutolinkLiteralFromMarkdown(),
  );
  return (tree: Root, file: VFile) => {
    flattenDeep(tree, String(file.value));
    visit(tree, (node, index, parent) => {
      // An image would load a stranger's URL for everyone in the room: it becomes a link instead.
      if (node.type === "image" && parent && index !== undefined) {
        const text: Text = { type: "text", value: node.alt || node.url };
        const link: Link = { type: "link", url: node.url, title: node.title, children: [text] };
        parent.children[index] = link;
        return SKIP;
      }
      if (node.type === "imageReference" && parent && index !== undefined) {
        const { identifier, label, referenceType, alt } = node;
        const children: PhrasingContent[] = [{ type: "text", value: alt ?? "" }];
        parent.children[index] = {
          type: "linkReference",
          identifier,
          label,
          referenceType,
          children,
        };
        return SKIP;
      }
      if (node.type !== "link" || node.children[0]?.type !== "text") return;
      const shown = node.children[0];
      // A bare "www." address means the web as people use it today: https.
      if (node.url === `http://${shown.value}` && shown.value.startsWith("www.")) {
        node.url = `https://${shown.value}`;
      }
      // The parser links the address after a typed "mailto:" but leaves the prefix out.
      const before = index === undefined ? undefined : parent?.children[index - 1];
      if (node.url === `mailto:${shown.value}` && before?.type === "text") {
        if (before.value.endsWith("mailto:")) {
          before.value = before.value.slice(0, -"mailto:".length);
          shown.value = node.url;
        }
      }
    });
  };
}

/** Marks where the reader is named, outside links and code, as `<mark>`. */
export function remarkMentions(name: string | undefined) {
  const pattern = name ? mentionPattern(name) : null;
  return (tree: Root) => {
    if (!pattern) return;
    findAndReplace(
      tree,
      [
        pattern,
        (value: string) => ({
          // Any phrasing node renders as the element its data names.
          type: "emphasis",
          data: { hName: "mark" },
          children: [{ type: "text", value }],
        }),
      ],
      { ignore: ["link", "linkReference"] },
    );
  };
}

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** Where a link may point: an absolute http(s) or mailto URL, or nowhere (empty). */
export function safeLinkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return LINK_PROTOCOLS.has(parsed.protocol) ? parsed.href : "";
  } catch {
    return "";
  }
}

/** Everything the subset can produce; anything else is replaced by its text. */
export const ALLOWED_ELEMENTS = [
  "p",
  "br",
  "strong",
  "em",
  "del",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "mark",
];
