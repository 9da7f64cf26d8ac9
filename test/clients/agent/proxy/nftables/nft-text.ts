// Reads back the parts of a rendered nft file that tests assert on.

/** The rules of `chain name { … }` (without the base-chain spec line), or undefined when absent. */
export function chainRules(text: string, name: string): string[] | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `chain ${name} {`);
  if (start < 0) return undefined;
  const rules: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '}') break;
    if (line.startsWith('type ')) continue;
    rules.push(line);
  }
  return rules;
}

/** The elements of `map|set name { … elements = { … } }`: [] when it has none, undefined when absent. */
export function elements(text: string, name: string): string[] | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\s*(map|set) /.test(line) && line.trim().split(' ')[1] === name);
  if (start < 0) return undefined;
  if (lines[start]!.trim().endsWith('}')) return [];
  const found: string[] = [];
  let inElements = false;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === 'elements = {') {
      inElements = true;
      continue;
    }
    if (line === '}') {
      if (inElements) break;
      continue;
    }
    if (inElements) found.push(line.replace(/,$/, ''));
  }
  return found;
}

/** Names of every chain in the file. */
export function chainNames(text: string): string[] {
  return [...text.matchAll(/^\s*chain (\S+) \{$/gm)].map((m) => m[1]!);
}
