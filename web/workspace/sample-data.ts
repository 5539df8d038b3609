import { Workspace, type Mount } from "../../wasm-runtime/workspace/index.ts";

/** The data sets in public/data/, mounted read-only at /data in every run. */
const SAMPLE_FILES = ["planets.csv", "elements.json"];
export const DATA_MOUNT_PATH = "/data";

let loading: Promise<Mount> | undefined;

/** The /data mount, fetched once per page. */
export function sampleDataMount(): Promise<Mount> {
  loading ??= (async () => {
    const files = new Workspace();
    for (const name of SAMPLE_FILES) {
      const url = `${import.meta.env.BASE_URL}data/${name}`;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not load the sample data ${url}: HTTP ${response.status}`);
      files.writeFile(name, new Uint8Array(await response.arrayBuffer()));
    }
    return { path: DATA_MOUNT_PATH, files: files.snapshot(), readOnly: true };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
