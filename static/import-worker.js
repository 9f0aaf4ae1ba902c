// The import worker's entry: loads the import wasm (the catalog builder compiled for the
// browser), then reads each file the page sends it and answers with progress, the
// library's bytes, or the builder's message. The file never leaves the browser.
importScripts("./import_worker.js");
const ready = wasm_bindgen("./import_worker_bg.wasm");

self.onmessage = async ({ data }) => {
  const { file } = data;
  try {
    await ready;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let lastPost = 0;
    const progress = (done) => {
      const now = performance.now();
      if (now - lastPost < 50) return;
      lastPost = now;
      postMessage({ kind: "progress", done, total: bytes.length });
    };
    const library = wasm_bindgen.read_library(bytes, file.name, progress);
    postMessage({ kind: "done", library }, [library.buffer]);
  } catch (error) {
    postMessage({ kind: "error", message: String(error?.message ?? error) });
  }
};
