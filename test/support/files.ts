// Files for tests: images as phones make them (EXIF with a GPS position and a rotation to apply),
// and an upload the way the room page sends one.
import exifReader from "exif-reader";
import sharp from "sharp";
import { fileUploadUrl, type UploadResult } from "@/lib/chat-events";

/** A 64×48 picture stored sideways (EXIF orientation 6, so it shows 48×64) taken "in Paris". */
export function photoWithGps(format: "png" | "jpeg" = "png"): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a7" } })
    .withExif({
      IFD0: { Make: "TestCam" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 51/1 2964/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 21/1 891/100",
      },
    })
    .withMetadata({ orientation: 6 })
    [format]()
    .toBuffer();
}

/** What an image's bytes say about where it was taken, and how it is to be turned. */
export async function imageFacts(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  const exif = meta.exif ? exifReader(meta.exif) : undefined;
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    orientation: meta.orientation,
    gps: exif?.GPSInfo,
    hasExif: meta.exif !== undefined,
  };
}

/** Uploads one file as the page does (multipart, keyed by message id and index). */
export async function uploadFile(
  baseUrl: string,
  person: { roomCode: string; cookie: string },
  file: { bytes: Buffer; name: string; type?: string },
  key: { clientId: string; index: number },
  headers: Record<string, string> = {},
): Promise<{ status: number; result: UploadResult }> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "" }), file.name);
  const response = await fetch(baseUrl + fileUploadUrl(person.roomCode, key.clientId, key.index), {
    method: "POST",
    body: form,
    headers: { cookie: person.cookie, ...headers },
  });
  return { status: response.status, result: (await response.json()) as UploadResult };
}
