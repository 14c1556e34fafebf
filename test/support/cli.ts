/** Captures what a CLI command writes, for `main(argv, io)` in tests. */
export function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}
