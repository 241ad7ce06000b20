/** The value of one sample in a Prometheus text exposition, matched by name and exactly these labels (in any order). */
export function sample(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = (match[2] ?? '').split(/,(?=[a-zA-Z_]+=")/).filter((l) => l !== '').sort().join(',');
    if (found === wanted) return Number(match[3]);
  }
  return undefined;
}

/** GET <base>/metrics as text; throws unless it answers 200. */
export async function scrape(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  if (response.status !== 200) throw new Error(`GET ${base}/metrics answered ${response.status}: ${await response.text()}`);
  return response.text();
}
