// QR codes drawn in the browser. The encoder is loaded on first use, so the room page does not
// carry its weight until someone asks for a code.

export function loadQrCodeEncoder(): void {
  import("qrcode").catch(() => {
    // Offline for a moment: the dialog tries again and says so if it fails.
  });
}

/** A QR code of `text` as an SVG data URL (the CSP allows data: images). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const { toString } = await import("qrcode");
  const svg = await toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
