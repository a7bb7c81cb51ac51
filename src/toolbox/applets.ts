/** The toolbox's applet names, read from wasm/toolbox/applets.def (APPLET("ls", …) lines). */
export function parseAppletList(def: string): string[] {
  return [...def.matchAll(/^(?:APPLET|ALIAS)\("([^"]+)"/gm)].map((m) => m[1] ?? '').filter((n) => n !== '');
}
