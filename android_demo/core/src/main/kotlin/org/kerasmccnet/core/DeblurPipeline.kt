package org.kerasmccnet.core

/**
 * What the pipeline needs from a model: one fixed-shape tile in, one out. Inputs and output are
 * NHWC float32 of tile x tile x 3 values (n = 1 implied), already dequantised for int8 models.
 * The Android ModelRunner implements it with LiteRT; tests use plain functions.
 */
fun interface TileModel {
    fun run(left: FloatArray, right: FloatArray): FloatArray
}

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
    check(out.size == tile * tile * 3) { "model returned ${out.size} values, expected $tile*$tile*3" }
    val crop = FloatImage(tile, tile, 3, out).crop(0, 0, h, w)
    for (i in crop.data.indices) crop.data[i] = crop.data[i].coerceIn(0f, 1f)
    return crop
}

/**
 * Full-resolution deblurring with a fixed-shape model: the shared tiling rule (TilePlan.kt), tiles
 * padded to the model input ([padTileForModel]), the model, outputs cropped and clamped
 * ([finishTileOutput]), then the weighted blend -- the same steps as ExportedModel.deblur in
 * Python. Each tile's crop + pad is timed as preprocess, the model call as inference, crop-back +
 * clamp + accumulate + normalise as blend.
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

    fun run(
        left: FloatImage,
        right: FloatImage,
        timer: StageTimer,
        progress: ((Int, Int) -> Unit)? = null,
    ): FloatImage {
        require(left.channels == 3 && right.channels == 3) { "views must be RGB" }
        require(left.height == right.height && left.width == right.width) {
            "left and right views differ in size: ${left.width}x${left.height} vs ${right.width}x${right.height}"
        }
        val plan = planTiles(left.height, left.width, tileSize, overlap)
        val blend = BlendAccumulator(plan)
        plan.tiles.forEachIndexed { k, t ->
            val (l, r) = timer.time(Stage.PREPROCESS) {
                padTileForModel(left.crop(t.y, t.x, t.h, t.w), tileSize) to
                    padTileForModel(right.crop(t.y, t.x, t.h, t.w), tileSize)
            }
            val out = timer.time(Stage.INFERENCE) { model.run(l.data, r.data) }
            timer.time(Stage.BLEND) { blend.add(t, finishTileOutput(out, tileSize, t.h, t.w)) }
            progress?.invoke(k + 1, plan.tiles.size)
        }
        return timer.time(Stage.BLEND) { blend.result() }
    }
}
