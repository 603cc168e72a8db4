// Test images as phones make them: EXIF with a GPS position and a rotation to apply.
import exifReader from "exif-reader";
import sharp from "sharp";

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
