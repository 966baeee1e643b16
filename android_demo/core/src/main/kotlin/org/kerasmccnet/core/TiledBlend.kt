package org.kerasmccnet.core

/**
 * Weighted sum of overlapping tile outputs, normalised by the summed weights: the blend step of
 * keras_mccnet.tiling.run_tiled, with the same float32 operations in the same order, so both give
 * bit-identical results (the golden vectors check exactly that).
 *
 * Memory: two full-size float buffers (the sum and the weights), as in Python.
 */
class BlendAccumulator(val plan: TilePlan) {
    private var channels = 0
    private var acc: FloatArray? = null
    private val norm = FloatArray(plan.height * plan.width)

    /** Adds the model output [out] (t.h x t.w x c) of tile [t]. */
    fun add(t: Tile, out: FloatImage) {
        require(out.height == t.h && out.width == t.w) {
            "tile output is ${out.height}x${out.width}, expected ${t.h}x${t.w}"
        }
        val sum = acc ?: FloatArray(plan.height * plan.width * out.channels).also {
            acc = it
            channels = out.channels
        }
        require(out.channels == channels) { "tile output has ${out.channels} channels, expected $channels" }
        val w = plan.weights(t)
        val width = plan.width
        for (i in 0 until t.h) {
            for (j in 0 until t.w) {
                val wij = w[i * t.w + j]
                val p = (t.y + i) * width + (t.x + j)
                val src = (i * t.w + j) * channels
                for (c in 0 until channels) sum[p * channels + c] += out.data[src + c] * wij
                norm[p] += wij
            }
        }
    }

    /** The blended image: sum / weights. Every pixel is covered, since the plan covers the image. */
    fun result(): FloatImage {
        val sum = acc ?: throw IllegalStateException("no tile was added")
        val out = FloatArray(sum.size)
        for (p in norm.indices) {
            for (c in 0 until channels) out[p * channels + c] = sum[p * channels + c] / norm[p]
        }
        return FloatImage(plan.height, plan.width, channels, out)
    }
}

/**
 * Applies [fn] (left tile, right tile) -> output tile over the overlapping tiles of the plan and
 * blends the results: the Kotlin twin of keras_mccnet.tiling.run_tiled. [progress], if given, is
 * called with (tiles done, tiles total) after each tile.
 */
fun runTiled(
    left: FloatImage,
    right: FloatImage,
    tile: Int,
    overlap: Int,
    progress: ((Int, Int) -> Unit)? = null,
    fn: (FloatImage, FloatImage) -> FloatImage,
): FloatImage {
    require(left.height == right.height && left.width == right.width && left.channels == right.channels) {
        "left and right views differ in shape: ${left.height}x${left.width}x${left.channels} " +
            "vs ${right.height}x${right.width}x${right.channels}"
    }
    val plan = planTiles(left.height, left.width, tile, overlap)
    val blend = BlendAccumulator(plan)
    plan.tiles.forEachIndexed { k, t ->
        blend.add(t, fn(left.crop(t.y, t.x, t.h, t.w), right.crop(t.y, t.x, t.h, t.w)))
        progress?.invoke(k + 1, plan.tiles.size)
    }
    return blend.result()
}
