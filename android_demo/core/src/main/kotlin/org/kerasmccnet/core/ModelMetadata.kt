package org.kerasmccnet.core

/** A metadata file that does not follow the schema; the message names the offending key. */
class MetadataException(message: String) : IllegalArgumentException(message)

/** Element type of a model input or output, as the app feeds it. */
enum class TensorDtype(val jsonName: String) {
    FLOAT32("float32"),
    INT8("int8"),
}

/**
 * One model input or output. [shape] is read as (n, h, w, c) -- NHWC, batch first -- the layout
 * io_spec.py fixes; reading it as (n, c, h, w) is a classic sample-app bug this class rules out.
 */
data class TensorSpec(
    val name: String,
    val shape: List<Int>,
    val dtype: TensorDtype,
    val quantization: Quantization?,
) {
    val batch: Int get() = shape[0]
    val height: Int get() = shape[1]
    val width: Int get() = shape[2]
    val channels: Int get() = shape[3]
    val elementCount: Int get() = shape.fold(1) { a, b -> a * b }
}

/**
 * The JSON the export stage writes beside every model file ("keras-mccnet-model/1"). Unknown extra
 * keys are ignored so a newer exporter can add fields without breaking older apps; a different
 * major format version is refused.
 *
 * Outputs: [output] is the image ("deblurred", c = 3); [defocus] the optional defocus map
 * (`mccnet export --defocus`: "defocus", c = 1, signed disparity in input px, > 0 behind the focal
 * plane, never clamped). Any other output is refused, as are any-size models (see [ANY_SIZE]).
 */
data class ModelMetadata(
    val format: String,
    val modelFile: String,
    val modelName: String,
    val modelVersion: String,
    val exporterVersion: String,
    val quantMode: String,
    val left: TensorSpec,
    val right: TensorSpec,
    val output: TensorSpec,
    val defocus: TensorSpec?,
    val valueRange: Pair<Float, Float>,
    val layout: String,
    val tileSize: Int,
    val tileOverlap: Int,
) {
    companion object {
        const val FORMAT_PREFIX = "keras-mccnet-model/"
        const val FORMAT_MAJOR = 1
        val QUANT_MODES = setOf("fp32", "fp16", "dynamic", "int8")
        const val IMAGE_OUTPUT = "deblurred"
        const val DEFOCUS_OUTPUT = "defocus"

        /**
         * Why an any-size model (`mccnet export --dynamic`: -1 for h and w) cannot run here. The app
         * would have to resize the inputs to its own tile, and LiteRT 2.1's Kotlin CompiledModel has
         * no call for that (no resize of an input tensor; buffers come from createInputBuffer at
         * the compiled shape): only the C/C++ API can, through native code this app does not ship.
         */
        const val ANY_SIZE = "is an any-size model (h, w = -1, from `mccnet export --dynamic`): " +
            "LiteRT 2.1's Kotlin CompiledModel cannot resize its inputs to a tile size, so the app " +
            "cannot run it; export a fixed tile instead (`mccnet export --tile N`, without --dynamic)"

        /** Parses and validates metadata JSON; [source] names the file in error messages. */
        fun parse(json: String, source: String = "metadata"): ModelMetadata {
            val root = try {
                Json.parse(json)
            } catch (e: JsonException) {
                throw MetadataException("$source: ${e.message}")
            }
            return Reader(source).read(root)
        }
    }

    @Suppress("UNCHECKED_CAST") // JSON objects are Map<String, Any?> by construction (Json.kt).
    private class Reader(val source: String) {
        fun fail(what: String): Nothing = throw MetadataException("$source: $what")

        fun obj(v: Any?, key: String): Map<String, Any?> =
            v as? Map<String, Any?> ?: fail("\"$key\" must be an object")

        fun field(m: Map<String, Any?>, key: String, where: String): Any? {
            if (!m.containsKey(key)) fail("missing key \"$key\"${if (where.isEmpty()) "" else " in $where"}")
            return m[key]
        }

        fun string(m: Map<String, Any?>, key: String, where: String = ""): String =
            field(m, key, where) as? String ?: fail("\"$key\" must be a string")

        fun int(v: Any?, key: String): Int {
            val d = v as? Double ?: fail("\"$key\" must be an integer, got $v")
            if (d != Math.rint(d) || d < Int.MIN_VALUE || d > Int.MAX_VALUE) {
                fail("\"$key\" must be an integer, got $d")
            }
            return d.toInt()
        }

        fun number(v: Any?, key: String): Double = v as? Double ?: fail("\"$key\" must be a number, got $v")

        fun read(root: Any?): ModelMetadata {
            val m = root as? Map<String, Any?> ?: fail("top level must be a JSON object")
            val format = string(m, "format")
            val major = format.removePrefix(FORMAT_PREFIX).substringBefore('.').toIntOrNull()
            if (!format.startsWith(FORMAT_PREFIX) || major != FORMAT_MAJOR) {
                fail("unsupported format \"$format\", expected \"$FORMAT_PREFIX$FORMAT_MAJOR\"")
            }
            val quantMode = string(m, "quant_mode")
            if (quantMode !in QUANT_MODES) fail("quant_mode \"$quantMode\" is not one of $QUANT_MODES")
            val layout = string(m, "layout")
            if (layout != "NHWC") fail("layout must be \"NHWC\", got \"$layout\"")

            val inputs = tensors(field(m, "inputs", ""), "inputs")
            if (inputs.map { it.name }.sorted() != listOf("left", "right")) {
                fail("inputs must be named \"left\" and \"right\", got ${inputs.map { it.name }}")
            }
            val left = inputs.first { it.name == "left" }
            val right = inputs.first { it.name == "right" }
            if (left.shape != right.shape) fail("left and right shapes differ: ${left.shape} vs ${right.shape}")
            // Checked on the views only: the image output must equal their shape, the map has c = 1.
            if (left.channels != 3) fail("inputs must have c = 3 channels last (NHWC), got ${left.shape}")
            val outputs = tensors(field(m, "outputs", ""), "outputs")
            val names = outputs.map { it.name }
            if (names.count { it == IMAGE_OUTPUT } != 1 || names.size != names.toSet().size ||
                names.any { it != IMAGE_OUTPUT && it != DEFOCUS_OUTPUT }
            ) {
                fail("outputs must be \"$IMAGE_OUTPUT\" and optionally \"$DEFOCUS_OUTPUT\", got $names")
            }
            val output = outputs.first { it.name == IMAGE_OUTPUT }
            if (output.shape != left.shape) fail("output shape ${output.shape} differs from input ${left.shape}")
            val defocus = outputs.firstOrNull { it.name == DEFOCUS_OUTPUT }
            if (defocus != null && defocus.shape != left.shape.take(3) + 1) {
                fail("output \"$DEFOCUS_OUTPUT\" must have shape ${left.shape.take(3) + 1} (one channel), got ${defocus.shape}")
            }

            val range = field(m, "value_range", "") as? List<*> ?: fail("\"value_range\" must be a list")
            if (range.size != 2) fail("\"value_range\" must have two numbers")
            val valueRange = number(range[0], "value_range").toFloat() to number(range[1], "value_range").toFloat()
            if (valueRange != 0f to 1f) fail("value_range must be [0.0, 1.0], got $range")

            val tile = obj(field(m, "tile", ""), "tile")
            val size = int(field(tile, "size", "tile"), "tile.size")
            val overlap = int(field(tile, "overlap", "tile"), "tile.overlap")
            if (size <= 0 || overlap !in 0 until size) fail("tile needs size > 0 and 0 <= overlap < size")
            if (left.height != size || left.width != size) {
                fail("tile.size $size differs from the input's (h, w) = (${left.height}, ${left.width})")
            }
            return ModelMetadata(
                format = format,
                modelFile = string(m, "model_file"),
                modelName = string(m, "model_name"),
                modelVersion = string(m, "model_version"),
                exporterVersion = string(m, "exporter_version"),
                quantMode = quantMode,
                left = left,
                right = right,
                output = output,
                defocus = defocus,
                valueRange = valueRange,
                layout = layout,
                tileSize = size,
                tileOverlap = overlap,
            )
        }

        fun tensors(v: Any?, key: String): List<TensorSpec> {
            val list = v as? List<*> ?: fail("\"$key\" must be a list")
            return list.mapIndexed { i, t -> tensor(obj(t, "$key[$i]"), "$key[$i]") }
        }

        fun tensor(t: Map<String, Any?>, where: String): TensorSpec {
            val name = string(t, "name", where)
            val shapeList = field(t, "shape", where) as? List<*> ?: fail("$where.shape must be a list")
            val shape = shapeList.map { int(it, "$where.shape") }
            if (shape.size == 4 && (shape[1] == -1 || shape[2] == -1)) fail("$where has shape $shape: it $ANY_SIZE")
            if (shape.size != 4 || shape.any { it <= 0 }) {
                fail("$where.shape must be (n, h, w, c) with positive sizes, got $shape")
            }
            if (shape[0] != 1) fail("$where.shape must have batch n = 1, got $shape")
            val dtypeName = string(t, "dtype", where)
            val dtype = TensorDtype.values().firstOrNull { it.jsonName == dtypeName }
                ?: fail("$where.dtype \"$dtypeName\" is not supported (float32 or int8)")
            val q = field(t, "quantization", where)
            val quantization = if (q == null) null else {
                val qm = obj(q, "$where.quantization")
                try {
                    Quantization(
                        number(field(qm, "scale", "$where.quantization"), "scale").toFloat(),
                        int(field(qm, "zero_point", "$where.quantization"), "zero_point"),
                    )
                } catch (e: IllegalArgumentException) {
                    if (e is MetadataException) throw e
                    fail("$where.quantization: ${e.message}")
                }
            }
            if (dtype == TensorDtype.INT8 && quantization == null) {
                fail("$where is int8 but has no quantization parameters")
            }
            return TensorSpec(name, shape, dtype, quantization)
        }
    }
}
