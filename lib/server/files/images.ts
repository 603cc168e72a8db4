// Images as they are shared: oriented upright, with their metadata (EXIF, GPS, XMP) dropped by
// re-encoding, plus a small preview and their dimensions so previews take their space at once.
import { availableParallelism } from "node:os";
import sharp from "sharp";

/** Types re-encoded and shown inline; everything else is a download. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/gif",
  "image/avif",
]);

/** Bigger images are refused by the decoder rather than eating the server's memory. */
const MAX_INPUT_PIXELS = 100_000_000;
const THUMBNAIL_EDGE = 480;
export const THUMBNAIL_TYPE = "image/webp";

/**
 * Decoding holds width × height × channels in memory, and libvips would spread each image over
 * every core: a few images at a time, one thread each, so the event loop keeps a core for the chat.
 */
const IMAGE_SLOTS = Math.max(1, Math.min(2, availableParallelism() - 1));
sharp.concurrency(1);
let busySlots = 0;
const waitingForSlot: (() => void)[] = [];

async function inImageSlot<T>(work: () => Promise<T>): Promise<T> {
  while (busySlots >= IMAGE_SLOTS)
    await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  busySlots++;
  try {
    return await work();
  } finally {
    busySlots--;
    waitingForSlot.shift()?.();
  }
}

export interface PreparedImage {
  width: number;
  height: number;
}

/**
 * Writes the cleaned image to `outputPath` and its preview to `thumbnailPath`. Null when the
 * bytes do not decode as the image they claim to be: such a file is kept as a plain download.
 */
export function prepareImage(
  inputPath: string,
  type: string,
  outputPath: string,
  thumbnailPath: string,
): Promise<PreparedImage | null> {
  if (!INLINE_IMAGE_TYPES.has(type)) return Promise.resolve(null);
  return inImageSlot(() => cleanImage(inputPath, type, outputPath, thumbnailPath));
}

async function cleanImage(
  inputPath: string,
  type: string,
  outputPath: string,
  thumbnailPath: string,
): Promise<PreparedImage | null> {
  const animated = type === "image/gif" || type === "image/webp";
  try {
    // rotate() without an angle applies the EXIF orientation; sharp writes no metadata unless asked.
    const image = sharp(inputPath, { animated, limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    const encoded =
      type === "image/jpeg"
        ? image.jpeg({ quality: 90 })
        : type === "image/png"
          ? image.png()
          : type === "image/webp"
            ? image.webp({ quality: 90 })
            : type === "image/gif"
              ? image.gif()
              : image.avif();
    await encoded.toFile(outputPath);
    const meta = await sharp(outputPath).metadata();
    await sharp(outputPath)
      .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 75 })
      .toFile(thumbnailPath);
    return { width: meta.width, height: meta.pageHeight ?? meta.height };
  } catch {
    return null;
  }
}
