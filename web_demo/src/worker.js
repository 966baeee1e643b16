// The demo's inference worker (a classic worker: LiteRT.js's wasm loader uses importScripts, which
// module workers lack). One worker per loaded model: LiteRT.js loads its wasm once per global
// scope, so another accelerator or thread setting means a fresh worker.
//
// in:  {type: "load", model: ArrayBuffer, metadata: object, accelerator: "auto"|"webgpu"|"wasm",
//       threads: bool}
//      {type: "run", left: Blob, right: Blob} | {type: "run", pair: Blob} (side by side L|R)
// out: {type: "loaded", backend, timings} | {type: "progress", done, total}
//      {type: "result", ...} | {type: "error", message}
/* global LiteRT */
importScripts("../vendor/litert.js");

const WASM_DIR = new URL("../node_modules/@litertjs/core/wasm/", self.location.href).href;
const modules = Promise.all([import("./tiling.js"), import("./tile_io.js"), import("./pixels.js"),
                             import("./metadata.js"), import("./dp_axis.js"),
                             import("./dp_split.js")]);
let state = null;  // {model, meta, outputs, backend}

const now = () => performance.now();
// The worker holds whole images as float32 (views, blend accumulator, output, 8-bit copies:
// about 80 bytes per pixel), so it stops before a tab would run out of memory.
const MAX_PIXELS = 16e6;

function checkSize(width, height) {
  if (width * height > MAX_PIXELS) {
    throw new Error(`${width}x${height} is ${(width * height / 1e6).toFixed(1)} MP; the browser ` +
                    `demo stops at ${MAX_PIXELS / 1e6} MP (use \`mccnet deblur\` for larger ` +
                    "photos)");
  }
}

async function loadModel({model, metadata, accelerator, threads}) {
  const [, , , md] = await modules;
  const meta = md.validateMetadata(metadata, metadata.model_file ?? "metadata");
  md.requireFloatIo(meta, meta.model_file);
  const t0 = now();
  const gpu = accelerator !== "wasm" && LiteRT.isWebGPUSupported();
  const useThreads = Boolean(threads) && !gpu && self.crossOriginIsolated &&
    (await LiteRT.supportsFeature("threads"));
  // LiteRT.js's loader passes self.Module to the emscripten factory: without locateFile the .wasm
  // would be looked up beside this worker, and threads would start copies of this worker.
  self.Module = {locateFile: (file) => WASM_DIR + file};
  if (useThreads) self.Module.mainScriptUrlOrBlob = `${WASM_DIR}litert_wasm_threaded_internal.js`;
  await LiteRT.loadLiteRt(WASM_DIR, useThreads ? {threads: true} : {});
  const t1 = now();
  const env = LiteRT.getDefaultEnvironment();
  const notes = [];
  if (accelerator === "webgpu" && !gpu) notes.push("WebGPU is not available in this browser");
  if (gpu && !env.webGpuDevice) notes.push("WebGPU has no usable adapter");
  let compiled = null;
  if (gpu && env.webGpuDevice) {
    try {
      compiled = await LiteRT.loadAndCompile(new Uint8Array(model), {accelerator: "webgpu"});
    } catch (e) {
      notes.push(`WebGPU compile failed (${e.message ?? e}), fell back to WASM`);
    }
  }
  if (compiled && compiled.options.accelerator !== "webgpu") {
    // Without JSPI, LiteRT.js recompiles a model WebGPU cannot run whole for WASM, silently.
    notes.push("WebGPU cannot run the whole model; LiteRT.js fell back to WASM");
  }
  compiled ??= await LiteRT.loadAndCompile(new Uint8Array(model), {accelerator: "wasm"});
  const t2 = now();
  checkShapes(compiled, meta);
  state = {model: compiled, meta, outputs: md.shownOutputs(meta), backend: backendOf(compiled,
    useThreads, notes)};
  postMessage({type: "loaded", backend: state.backend,
               timings: {runtimeMs: t1 - t0, compileMs: t2 - t1}});
}

/** What really runs, read from the compiled model, not what was asked for. */
function backendOf(compiled, threaded, notes) {
  const accelerator = compiled.options.accelerator;
  const wasm = LiteRT.getGlobalLiteRt().liteRtWasm;
  const bufferTypes = compiled.getInputDetails().flatMap((d) => [...d.supportedBufferTypes]);
  const onGpu = bufferTypes.some((b) => b !== LiteRT.TensorBufferType.HOST_MEMORY);
  let label = accelerator === "webgpu" ? (onGpu ? "WebGPU" : "WebGPU? (inputs in host memory)")
    : `WASM (XNNPACK, ${threaded ? `${wasm.getThreadCount()} threads` : "1 thread"})`;
  if (accelerator === "webgpu" && !compiled.isFullyAccelerated) label += ", partly on WASM";
  return {accelerator, label, fullyAccelerated: compiled.isFullyAccelerated,
          threads: threaded ? wasm.getThreadCount() : 1, notes};
}

function checkShapes(compiled, meta) {
  const tile = meta.tile.size;
  for (const d of compiled.getInputDetails()) {
    const entry = meta.inputs.find((t) => t.name === d.name);
    if (!entry) throw new Error(`model input "${d.name}" is not in the metadata`);
    const shape = Array.from(d.shape);
    if (shape.join() !== entry.shape.join() || shape[1] !== tile || shape[2] !== tile) {
      throw new Error(`model input ${d.name} is [${shape}], metadata says [${entry.shape}] ` +
                      `with tile ${tile}: not the model of this metadata`);
    }
  }
}

async function decode(blob) {
  const bitmap = await createImageBitmap(blob, {colorSpaceConversion: "none",
                                                premultiplyAlpha: "none"});
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

/** The two views of a run message, as HWC float images (decoded to 8 bits by the browser). */
async function readViews(message, pixels) {
  if (message.pair) {
    const img = await decode(message.pair);
    checkSize(img.width / 2, img.height);
    return pixels.splitSideBySide(pixels.rgba8ToImage(img.data, img.width, img.height));
  }
  const [l, r] = await Promise.all([decode(message.left), decode(message.right)]);
  if (l.width !== r.width || l.height !== r.height) {
    throw new Error(`left and right views differ in size: ${l.width}x${l.height} vs ` +
                    `${r.width}x${r.height}`);
  }
  checkSize(l.width, l.height);
  return [pixels.rgba8ToImage(l.data, l.width, l.height),
          pixels.rgba8ToImage(r.data, r.width, r.height)];
}

/**
 * The tile function for runTiled: pad, run the compiled model, crop back (and clamp the image).
 * All shown outputs travel through one blend, interleaved per pixel: the image's 3 channels,
 * then the defocus map's. Adds to `times` and `perTile` as it goes.
 */
function tileModel(tileIo, times, perTile) {
  const {model, meta, outputs} = state;
  const tile = meta.tile.size;
  const shape = [1, tile, tile, 3];
  const channels = outputs.reduce((n, o) => n + o.channels, 0);
  return async (l, r, t) => {
    let t0 = now();
    const feeds = {left: new LiteRT.Tensor(tileIo.padTile(l, tile).data, shape),
                   right: new LiteRT.Tensor(tileIo.padTile(r, tile).data, shape)};
    const t1 = now();
    times.preprocessMs += t1 - t0;
    const values = {};
    try {
      const results = await model.run(feeds);
      for (const o of outputs) values[o.name] = await results[o.name].data();
      for (const tensor of Object.values(results)) tensor.delete();
    } finally {
      for (const tensor of Object.values(feeds)) tensor.delete();
    }
    t0 = now();
    times.inferenceMs += t0 - t1;
    perTile.push(t0 - t1);
    const out = new Float32Array(t.h * t.w * channels);
    let offset = 0;
    for (const o of outputs) {
      const range = o.name === "deblurred" ? meta.value_range : null;
      const part = tileIo.finishTile(values[o.name], tile, o.channels, t.h, t.w, range).data;
      for (let p = 0; p < t.h * t.w; p++) {
        for (let c = 0; c < o.channels; c++) {
          out[p * channels + offset + c] = part[p * o.channels + c];
        }
      }
      offset += o.channels;
    }
    times.blendMs += now() - t0;
    return {channels, data: out};
  };
}

/** The blended image (first 3 channels) and the defocus map (its first channel), if any. */
function splitOutputs(blended, outputs) {
  const n = blended.height * blended.width;
  const channels = blended.channels;
  const image = {height: blended.height, width: blended.width, channels: 3,
                 data: new Float32Array(n * 3)};
  const defocus = outputs.length > 1 ? new Float32Array(n) : null;
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) image.data[p * 3 + c] = blended.data[p * channels + c];
    if (defocus) defocus[p] = blended.data[p * channels + 3];
  }
  return {image, defocus};
}

async function run(message) {
  if (!state) throw new Error("no model loaded");
  const [tiling, tileIo, pixels, , dpAxis, dpSplit] = await modules;
  const {meta, outputs} = state;
  const times = {decodeMs: 0, preprocessMs: 0, inferenceMs: 0, blendMs: 0};
  const perTile = [];
  const start = now();
  const [left, right] = await readViews(message, pixels);
  times.decodeMs = now() - start;
  // a top / bottom DP split runs transposed (dp_axis.js, as keras_mccnet.deblur does)
  const measureStart = now();
  const axis = dpAxis.measureDpAxis(left, right);
  // the camera's DP split gain (dp_split.js, as keras_mccnet.deblur(split_gain=))
  const splitGain = dpSplit.checkSplitGain(message.splitGain ?? 1);
  const [al, ar] = dpSplit.amplifySplit(left, right, splitGain);
  const [l, r] = axis.vertical ? [dpAxis.transposeImage(al), dpAxis.transposeImage(ar)]
    : [al, ar];
  times.preprocessMs += now() - measureStart;
  const onTile = (done, total) => postMessage({type: "progress", done, total});
  const run = await tiling.runTiled(tileModel(tileIo, times, perTile), l, r,
                                    meta.tile.size, meta.tile.overlap, onTile);
  const t0 = now();
  const blended = axis.vertical ? dpAxis.transposeImage(run) : run;
  const {image, defocus} = splitOutputs(blended, outputs);
  // the model read a disparity splitGain times the recorded one: report the recorded views' px
  if (defocus && splitGain !== 1) for (let p = 0; p < defocus.length; p++) defocus[p] /= splitGain;
  const after = pixels.imageToRgba8(image);
  times.blendMs += now() - t0;
  const before = pixels.imageToRgba8(pixels.meanOfViews(left, right));
  times.totalMs = now() - start;
  const result = {type: "result", width: left.width, height: left.height, before, after,
                  output: image.data, defocus, times, tileMs: perTile,
                  tiles: perTile.length, tile: meta.tile.size, backend: state.backend,
                  dpAxis: axis, splitGain};
  const transfer = [before.buffer, after.buffer, image.data.buffer];
  if (defocus) transfer.push(defocus.buffer);
  postMessage(result, transfer);
}

self.onmessage = async ({data}) => {
  try {
    if (data.type === "load") await loadModel(data);
    else if (data.type === "run") await run(data);
    else throw new Error(`unknown message ${data.type}`);
  } catch (e) {
    postMessage({type: "error", message: e?.message ?? String(e)});
  }
};
