// The metadata reader against metadata written by the exporter's own builder (golden files).
import {test} from "node:test";
import assert from "node:assert/strict";

import {MetadataError, requireFloatIo, shownOutputs, validateMetadata} from "../src/metadata.js";
import {golden} from "./golden.js";

test("the exporter's float metadata is accepted and shows the deblurred output", () => {
  const meta = validateMetadata(golden("metadata_fp16.json"));
  requireFloatIo(meta);
  assert.equal(meta.tile.size, 512);
  assert.deepEqual(shownOutputs(meta), [{name: "deblurred", channels: 3}]);
});

test("a defocus output, when exported, is shown beside the image", () => {
  const meta = golden("metadata_fp16.json");
  meta.outputs.unshift({name: "defocus", shape: [1, 512, 512, 1], dtype: "float32",
                        quantization: null});  // listed first: the image must still lead
  assert.deepEqual(shownOutputs(validateMetadata(meta)).map((o) => o.name),
                   ["deblurred", "defocus"]);
});

test("int8 I/O is refused with a message naming the tensors", () => {
  const meta = validateMetadata(golden("metadata_int8.json"));
  assert.throws(() => requireFloatIo(meta, "m.json"), (e) =>
    e instanceof MetadataError && /m\.json: tensors left \(int8\)/.test(e.message));
});

test("schema errors name the file and the problem", () => {
  const meta = golden("metadata_fp16.json");
  assert.throws(() => validateMetadata({...meta, format: "x"}, "a.json"), /a\.json: format/);
  assert.throws(() => validateMetadata({...meta, tile: {size: 8, overlap: 8}}, "a.json"),
                /tile overlap/);
  const {inputs, ...noInputs} = meta;
  assert.throws(() => validateMetadata(noInputs, "a.json"), /missing keys inputs/);
});
