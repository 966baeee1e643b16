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
 * Full-resolution deblurring with a fixed-shape model: the shared tiling rule (TilePlan.kt), edge
 * padding of tiles smaller than the model input, the model, then the weighted blend. Each tile's
 * crop + pad is timed as preprocess, the model call as inference, crop-back + accumulate +
 * normalise as blend.
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
                left.crop(t.y, t.x, t.h, t.w).padEdge(tileSize, tileSize) to
                    right.crop(t.y, t.x, t.h, t.w).padEdge(tileSize, tileSize)
            }
            val out = timer.time(Stage.INFERENCE) { model.run(l.data, r.data) }
            check(out.size == tileSize * tileSize * 3) {
                "model returned ${out.size} values, expected $tileSize*$tileSize*3"
            }
            timer.time(Stage.BLEND) {
                blend.add(t, FloatImage(tileSize, tileSize, 3, out).crop(0, 0, t.h, t.w))
            }
            progress?.invoke(k + 1, plan.tiles.size)
        }
        return timer.time(Stage.BLEND) { blend.result() }
    }
}
