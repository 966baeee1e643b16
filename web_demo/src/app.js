// The demo page: picks the model and the pair, hands them to the inference worker, shows
// before / after with a slider, the defocus map when the model exports one, the per-stage times
// and the backend that really ran, and saves the result as PNG.
//
// URL parameters (used by tests/web and benchmarks/web_demo_timing.py, handy by hand too):
//   accelerator=auto|webgpu|wasm, threads=0|1, run=sample (deblur the sample pair once loaded).
// The page reports on <body data-status="loading|ready|running|done|error"> and keeps the last
// result in window.mccnetDemo for scripts.

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const demo = {worker: null, meta: null, modelBytes: null, result: null, loaded: null};
window.mccnetDemo = demo;

function status(s, message = "", error = false) {
  document.body.dataset.status = s;
  $("message").textContent = message;
  $("message").classList.toggle("error", error);
}

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response[as]();
}

/** (Re)starts the worker with the current model bytes, metadata and backend choice. */
function loadModel() {
  if (!demo.modelBytes) return;  // nothing picked or served yet
  demo.worker?.terminate();
  $("run").disabled = true;
  $("backend").textContent = "loading…";
  status("loading", `loading ${demo.meta.model_file}…`);
  const worker = new Worker("src/worker.js");  // classic: see the note in worker.js
  demo.worker = worker;
  demo.loaded = new Promise((resolve, reject) => {
    worker.onmessage = ({data}) => {
      if (data.type === "loaded") {
        showBackend(data.backend, data.timings);
        $("run").disabled = false;
        status("ready", `model loaded: runtime ${data.timings.runtimeMs.toFixed(0)} ms, ` +
               `compile ${data.timings.compileMs.toFixed(0)} ms`);
        resolve(data);
      } else if (data.type === "progress") {
        $("progress").max = data.total;
        $("progress").value = data.done;
        $("message").textContent = `tile ${data.done} / ${data.total}`;
      } else if (data.type === "result") {
        showResult(data);
      } else if (data.type === "error") {
        status("error", data.message, true);
        reject(new Error(data.message));
      }
    };
    worker.onerror = (e) => {
      status("error", `worker failed: ${e.message}`, true);
      reject(e);
    };
  });
  demo.loaded.catch(() => {});
  const threads = $("threads").checked && params.get("threads") !== "0";
  worker.postMessage({type: "load", model: demo.modelBytes.slice(0), metadata: demo.meta,
                      accelerator: $("accelerator").value, threads});
}

function showBackend(backend, timings) {
  const notes = backend.notes.length ? ` (${backend.notes.join("; ")})` : "";
  $("backend").textContent = backend.label + notes;
  $("backend").dataset.accelerator = backend.accelerator;
}

async function deblur(inputs) {
  if (!demo.loaded) {
    status("error", "no model loaded: pick a .tflite and its .json first", true);
    return;
  }
  await demo.loaded;
  $("run").disabled = true;
  $("progress").value = 0;
  status("running", "decoding…");
  demo.worker.postMessage({type: "run", splitGain: Number($("split-gain").value), ...inputs});
}

function paint(canvas, rgba, width, height) {
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
}

function showResult(r) {
  demo.result = r;
  $("result").hidden = false;
  paint($("before"), r.before, r.width, r.height);
  paint($("after"), r.after, r.width, r.height);
  $("defocus-box").hidden = !r.defocus;
  if (r.defocus) paintDefocus(r.defocus, r.width, r.height);
  const perTile = r.tileMs.reduce((a, b) => a + b, 0) / r.tiles;
  const rows = [
    ["backend", r.backend.label],
    ["image", `${r.width} x ${r.height}, ${r.tiles} tiles of ${r.tile} px`],
    ["DP split (measured)", `${r.dpAxis.vertical ? "top / bottom: run transposed" : "left / right"}` +
      ` (mean shift ${r.dpAxis.horizontalShift.toFixed(2)} px along rows, ` +
      `${r.dpAxis.verticalShift.toFixed(2)} px along columns)`],
    ["DP split gain", r.splitGain === 1 ? "1 (views as recorded)" : `${r.splitGain}`],
    ["decode", r.times.decodeMs], ["preprocess (crop + pad + tensors)", r.times.preprocessMs],
    ["inference", r.times.inferenceMs], ["inference per tile", perTile],
    ["blend (crop back, clamp, weights, pack)", r.times.blendMs], ["total", r.times.totalMs],
  ];
  $("timings").replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement("tr");
    tr.innerHTML = "<td></td><td></td>";
    tr.cells[0].textContent = k;
    tr.cells[1].textContent = typeof v === "number" ? `${v.toFixed(1)} ms` : v;
    return tr;
  }));
  $("run").disabled = false;
  status("done", `done in ${r.times.totalMs.toFixed(0)} ms on ${r.backend.label}`);
}

/** The defocus output as colour: signed maps diverge around 0 (blue < 0 < red), unsigned ones
 * run black to yellow; the scale is the map's own largest magnitude, printed beside it. */
function paintDefocus(map, width, height) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const signed = lo < 0;
  const scale = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < map.length; p++) {
    const t = map[p] / scale;
    const rgb = signed
      ? (t >= 0 ? [255, 255 * (1 - t), 255 * (1 - t)] : [255 * (1 + t), 255 * (1 + t), 255])
      : [255 * Math.min(1, 2 * t), 255 * Math.max(0, 2 * t - 1), 60 * (1 - t)];
    rgba.set([...rgb, 255], p * 4);
  }
  paint($("defocus"), rgba, width, height);
  $("defocus-legend").textContent = signed
    ? `blue ${(-scale).toFixed(3)} … white 0 … red ${scale.toFixed(3)}`
    : `black 0 … yellow ${scale.toFixed(3)}`;
}

/** The last result as an 8-bit PNG (the levels the page shows, not a screenshot of it). */
demo.resultPng = function resultPng() {
  const r = demo.result;
  const canvas = new OffscreenCanvas(r.width, r.height);
  canvas.getContext("2d").putImageData(new ImageData(r.after, r.width, r.height), 0, 0);
  return canvas.convertToBlob({type: "image/png"});
};

async function savePng() {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(await demo.resultPng());
  a.download = `${demo.meta.model_name}_deblurred.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function samplePair() {
  const [left, right] = await Promise.all(
    ["sample/sample_L.png", "sample/sample_R.png"].map((u) => fetchOk(u, "blob")));
  return {left, right};
}

async function pickModelFiles() {
  const model = $("model-file").files[0];
  const meta = $("meta-file").files[0];
  if (!model || !meta) return;  // wait until both are picked
  try {
    demo.meta = JSON.parse(await meta.text());
  } catch (e) {
    status("error", `${meta.name}: not a JSON file (${e.message})`, true);
    return;
  }
  demo.modelBytes = await model.arrayBuffer();
  $("model-name").textContent = `${model.name} (${demo.meta.model_name}, ${demo.meta.quant_mode})`;
  loadModel();
}

async function main() {
  const accelerator = params.get("accelerator");
  if (accelerator) $("accelerator").value = accelerator;
  $("threads").disabled = !crossOriginIsolated;
  if (!crossOriginIsolated) $("threads").checked = false;
  $("accelerator").onchange = loadModel;
  $("threads").onchange = loadModel;
  $("model-file").onchange = pickModelFiles;
  $("meta-file").onchange = pickModelFiles;
  $("slider").oninput = () => {
    $("after").style.clipPath = `inset(0 0 0 ${$("slider").value}%)`;
    $("divider").style.left = `${$("slider").value}%`;
  };
  $("sample").onclick = async () => deblur(await samplePair());
  $("run").onclick = () => {
    const [left, right, pair] = ["left-file", "right-file", "pair-file"]
      .map((id) => $(id).files[0]);
    if (pair) deblur({pair});
    else if (left && right) deblur({left, right});
    else status("error", "pick the left and right views, or one side-by-side image", true);
  };
  $("save").onclick = savePng;
  // The model served by `mccnet web` (config.json); without it, pick the files above.
  let config;
  try {
    config = await fetchOk("config.json", "json");
  } catch (e) {
    status("error", `no served model (${e.message}): pick a .tflite and its .json`, true);
    return;
  }
  [demo.meta, demo.modelBytes] = await Promise.all([fetchOk(config.metadata, "json"),
                                                     fetchOk(config.model, "arrayBuffer")]);
  $("model-name").textContent = `${config.model} (${demo.meta.model_name}, ` +
    `${demo.meta.quant_mode}, tile ${demo.meta.tile.size} / overlap ${demo.meta.tile.overlap})`;
  loadModel();
  if (params.get("run") === "sample") deblur(await samplePair());
}

main().catch((e) => status("error", e.message ?? String(e), true));
