package org.kerasmccnet.core

/**
 * One tile's model outputs, NHWC float32 (n = 1 implied), already dequantised for int8 models:
 * the image ([image], tile x tile x 3) and, for a model exported with the defocus output
 * (`mccnet export --defocus`), the defocus map ([defocus], tile x tile x 1, input px).
 */
class TileOutputs(val image: FloatArray, val defocus: FloatArray? = null)

/**
 * What the pipeline needs from a model: one fixed-shape tile in, its outputs out. Inputs are NHWC
 * float32 of tile x tile x 3 values (n = 1 implied), already dequantised for int8 models. The
 * Android ModelRunner implements it with LiteRT; tests use plain functions.
 */
fun interface TileModel {
    fun run(left: FloatArray, right: FloatArray): TileOutputs
}

/**
 * A full-resolution result: the deblurred [image] (h x w x 3, in [0, 1]) and, when the model has
 * the defocus output, the [defocus] map (h x w x 1): signed disparity in input px, > 0 behind the
 * focal plane, never clamped.
 */
class DeblurResult(
    val image: FloatImage,
    val defocus: FloatImage?,
    /** True when the views were run transposed (a top / bottom DP split). */
    val transposed: Boolean = false,
    /** The split-axis measurement when the axis was [DpAxisChoice.AUTO]. */
    val dpAxis: DpAxisMeasurement? = null,
)

/**
 * A crop of at most [tile] x [tile] padded to the model's fixed input, as the host runtime does it
 * (export/runtime.py, ExportedModel.__call__; golden-tested): mirror padding ("symmetric") when the
 * pad fits inside the crop on both axes, so no artificial edge appears at the border, else edge
 * repetition. The padded pixels never reach the result: the output is cropped back.
 */
fun padTileForModel(crop: FloatImage, tile: Int): FloatImage {
    require(crop.height <= tile && crop.width <= tile) {
        "tile of ${crop.height}x${crop.width} exceeds the model's fixed $tile px tile"
    }
    val symmetric = tile - crop.height <= crop.height && tile - crop.width <= crop.width
    return crop.pad(tile, tile, symmetric)
}

/**
 * The model's [tile] x [tile] output cropped back to the [h] x [w] window and clamped to the value
 * range [0, 1] -- clamped, never stretched -- before blending, as export/runtime.py does.
 */
fun finishTileOutput(out: FloatArray, tile: Int, h: Int, w: Int): FloatImage {
    val crop = cropTileOutput(out, tile, 3, h, w)
    for (i in crop.data.indices) crop.data[i] = crop.data[i].coerceIn(0f, 1f)
    return crop
}

/**
 * The defocus output's [tile] x [tile] x 1 map cropped back to the [h] x [w] window. Not clamped:
 * it is a signed disparity in input px, not an image (the web demo and keras_mccnet.predict keep
 * it as it comes, too).
 */
fun finishDefocusTile(out: FloatArray, tile: Int, h: Int, w: Int): FloatImage = cropTileOutput(out, tile, 1, h, w)

private fun cropTileOutput(out: FloatArray, tile: Int, channels: Int, h: Int, w: Int): FloatImage {
    check(out.size == tile * tile * channels) {
        "model returned ${out.size} values, expected $tile*$tile*$channels"
    }
    return FloatImage(tile, tile, channels, out).crop(0, 0, h, w)
}

/**
 * Full-resolution deblurring with a fixed-shape model: the shared tiling rule (TilePlan.kt), tiles
 * padded to the model input ([padTileForModel]), the model, outputs cropped and clamped
 * ([finishTileOutput]), then the weighted blend -- the same steps as ExportedModel.deblur in
 * Python. Each tile's crop + pad is timed as preprocess, the model call as inference, crop-back +
 * clamp + accumulate + normalise as blend.
 *
 * A defocus output rides along as a fourth channel of the one blend (cropped, not clamped), so its
 * tiles get exactly the image's weights: what keras_mccnet.predict and the web demo's worker do.
 */
class DeblurPipeline(
    private val tileSize: Int,
    private val overlap: Int,
    private val model: TileModel,
) {
    init {
        require(tileSize > 0 && overlap in 0 until tileSize) {
            "need tile > 0 and 0 <= overlap < tile, got tile=$tileSize overlap=$overlap"
        }
    }

    /**
     * Deblurs one pair. [axis] is the sensor's split ([DpAxis]): AUTO measures it (timed as
     * preprocess) and runs a top / bottom pair transposed, as keras_mccnet.deblur does; the
     * outputs come back upright. [splitGain] is the camera's DP split gain ([DpSplit]; 1 = as
     * recorded), applied to the measured views; the defocus map stays in the recorded views' px.
     */
    fun run(
        left: FloatImage,
        right: FloatImage,
        timer: StageTimer,
        axis: DpAxisChoice = DpAxisChoice.AUTO,
        splitGain: Float = 1f,
        progress: ((Int, Int) -> Unit)? = null,
    ): DeblurResult {
        require(left.channels == 3 && right.channels == 3) { "views must be RGB" }
        require(left.height == right.height && left.width == right.width) {
            "left and right views differ in size: ${left.width}x${left.height} vs ${right.width}x${right.height}"
        }
        DpSplit.check(splitGain)
        val measured = if (axis == DpAxisChoice.AUTO) timer.time(Stage.PREPROCESS) { DpAxis.measure(left, right) } else null
        val (l, r) = timer.time(Stage.PREPROCESS) { DpSplit.amplify(left, right, splitGain) }
        val result = if (axis == DpAxisChoice.VERTICAL || measured?.vertical == true) {
            val t = runTiles(DpAxis.transpose(l), DpAxis.transpose(r), timer, progress)
            DeblurResult(DpAxis.transpose(t.image), t.defocus?.let(DpAxis::transpose), true, measured)
        } else {
            val upright = runTiles(l, r, timer, progress)
            DeblurResult(upright.image, upright.defocus, false, measured)
        }
        if (splitGain == 1f || result.defocus == null) return result
        // the model read a disparity splitGain times the recorded one
        val defocus = result.defocus
        val scaled = FloatImage(defocus.height, defocus.width, defocus.channels, FloatArray(defocus.data.size) { defocus.data[it] / splitGain })
        return DeblurResult(result.image, scaled, result.transposed, result.dpAxis)
    }

    private fun runTiles(
        left: FloatImage,
        right: FloatImage,
        timer: StageTimer,
        progress: ((Int, Int) -> Unit)?,
    ): DeblurResult {
        val plan = planTiles(left.height, left.width, tileSize, overlap)
        val blend = BlendAccumulator(plan)
        plan.tiles.forEachIndexed { k, t ->
            val (l, r) = timer.time(Stage.PREPROCESS) {
                padTileForModel(left.crop(t.y, t.x, t.h, t.w), tileSize) to
                    padTileForModel(right.crop(t.y, t.x, t.h, t.w), tileSize)
            }
            val out = timer.time(Stage.INFERENCE) { model.run(l.data, r.data) }
            timer.time(Stage.BLEND) {
                val image = finishTileOutput(out.image, tileSize, t.h, t.w)
                val defocus = out.defocus?.let { finishDefocusTile(it, tileSize, t.h, t.w) }
                // A model that returns the map for some tiles only fails in blend.add (channels).
                blend.add(t, if (defocus == null) image else image.appendChannels(defocus))
            }
            progress?.invoke(k + 1, plan.tiles.size)
        }
        return timer.time(Stage.BLEND) {
            val all = blend.result()
            if (all.channels == 3) DeblurResult(all, null) else DeblurResult(all.channels(0, 3), all.channels(3, 1))
        }
    }
}
