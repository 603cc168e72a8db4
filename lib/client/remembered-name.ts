// The last name someone chatted under, kept in this browser for when their session is gone.
const KEY = "roomcode.name";

export function rememberName(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // Storage disabled or full: the form is simply not prefilled next time.
  }
}

export function rememberedName(): string {
  try {
    return localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}
