// Room codes: short, easy to read aloud and type, impossible to guess in bulk.

/** 31 symbols with no look-alikes: no 0/O, no 1/I/L. */
export const ROOM_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const ROOM_CODE_LENGTH = 6;

const ROOM_CODE_PATTERN = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

/** A fresh code from the platform's cryptographically secure generator, without modulo bias. */
export function generateRoomCode(): string {
  const alphabetSize = ROOM_CODE_ALPHABET.length;
  // Largest multiple of the alphabet size that fits in a byte; bytes above it are redrawn.
  const limit = 256 - (256 % alphabetSize);
  let code = "";
  while (code.length < ROOM_CODE_LENGTH) {
    const bytes = crypto.getRandomValues(new Uint8Array(ROOM_CODE_LENGTH * 2));
    for (const byte of bytes) {
      if (byte < limit && code.length < ROOM_CODE_LENGTH)
        code += ROOM_CODE_ALPHABET[byte % alphabetSize];
    }
  }
  return code;
}

/**
 * What a person typed or pasted, as a canonical code: case and spaces do not matter,
 * and a whole room link (`https://host/r/K7QX2M`) works as well as the bare code.
 */
export function normalizeRoomCode(input: string): string {
  const trimmed = input.trim();
  const fromLink = /\/r\/([^/?#\s]+)/.exec(trimmed)?.[1];
  return (fromLink ?? trimmed).replace(/[\s-]/g, "").toUpperCase();
}

export function isRoomCode(code: string): boolean {
  return ROOM_CODE_PATTERN.test(code);
}
