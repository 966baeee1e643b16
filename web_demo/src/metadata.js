// The metadata JSON written beside every exported model (export/metadata.py, schema
// "keras-mccnet-model/1"): the same checks as validate_metadata there, plus what the browser
// needs (float32 I/O: LiteRT.js tensors hold float32, int32 or uint8, not int8).

export const FORMAT = "keras-mccnet-model/1";
export const QUANT_MODES = ["fp32", "fp16", "dynamic", "int8"];
export const INPUT_NAMES = ["left", "right"];
export const IMAGE_OUTPUT = "deblurred";
export const DEFOCUS_OUTPUT = "defocus";
const REQUIRED_KEYS = ["format", "model_file", "model_name", "model_version",
                       "exporter_version", "quant_mode", "inputs", "outputs", "value_range",
                       "layout", "tile"];

export class MetadataError extends Error {}

/** Checks the schema; throws MetadataError naming `where` and the problem. */
export function validateMetadata(meta, where = "metadata") {
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw new MetadataError(`${where}: expected a JSON object`);
  }
  const missing = REQUIRED_KEYS.filter((k) => !(k in meta));
  if (missing.length) throw new MetadataError(`${where}: missing keys ${missing.join(", ")}`);
  if (meta.format !== FORMAT) {
    throw new MetadataError(`${where}: format ${JSON.stringify(meta.format)} is not ${FORMAT}`);
  }
  if (!QUANT_MODES.includes(meta.quant_mode)) {
    throw new MetadataError(`${where}: quant_mode ${meta.quant_mode} not in ${QUANT_MODES}`);
  }
  const names = meta.inputs.map((t) => t.name);
  if ([...names].sort().join() !== [...INPUT_NAMES].sort().join()) {
    throw new MetadataError(`${where}: inputs must be ${INPUT_NAMES}, got ${names}`);
  }
  for (const t of [...meta.inputs, ...meta.outputs]) {
    if (!Array.isArray(t.shape) || t.shape.length !== 4) {
      throw new MetadataError(`${where}: tensor ${t.name} must be rank 4 NHWC`);
    }
  }
  const {size, overlap} = meta.tile;
  if (!(Number.isInteger(size) && Number.isInteger(overlap) && overlap >= 0 && overlap < size)) {
    throw new MetadataError(`${where}: tile overlap must be in [0, size), got ` +
                            JSON.stringify(meta.tile));
  }
  if (!meta.outputs.some((t) => t.name === IMAGE_OUTPUT)) {
    throw new MetadataError(`${where}: no "${IMAGE_OUTPUT}" output`);
  }
  return meta;
}

/** Throws unless the browser runtime can feed and read every tensor of the model. */
export function requireFloatIo(meta, where = "metadata") {
  const integer = [...meta.inputs, ...meta.outputs].filter((t) => t.dtype !== "float32");
  if (integer.length) {
    throw new MetadataError(
      `${where}: tensors ${integer.map((t) => `${t.name} (${t.dtype})`).join(", ")} are not ` +
      "float32; LiteRT.js feeds float32, int32 or uint8 tensors only. Use the fp32, fp16 or " +
      "dynamic export of this model.");
  }
}

/** The outputs the demo shows, the image first, then the defocus map when the model has one. */
export function shownOutputs(meta) {
  return [IMAGE_OUTPUT, DEFOCUS_OUTPUT].map((name) => meta.outputs.find((t) => t.name === name))
    .filter(Boolean).map((t) => ({name: t.name, channels: t.shape[3]}));
}
