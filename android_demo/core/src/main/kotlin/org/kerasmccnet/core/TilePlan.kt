package org.kerasmccnet.core

import kotlin.math.min

/*
 * The project's one tiling rule, line for line the same as keras_mccnet/tiling.py (proven equal by
 * the golden vectors in src/test/resources/golden/tiling.json):
 *
 * - Along an axis of length n with tile t and overlap o (0 <= o < t), tiles start at 0, s, 2s, ...
 *   with stride s = t - o until a tile reaches the end; the last start is clamped to n - t so every
 *   tile lies inside the image. If n <= t there is one tile at 0 of length n (the caller pads it
 *   to t for a fixed-shape model and crops the output back).
 * - Blending weight of offset i inside a tile of length m: min(1, (i + 0.5) / o, (m - i - 0.5) / o)
 *   for o > 0, else 1. Always > 0, so the normalisation is defined everywhere.
 */

/** Start offsets of the tiles along one axis of length [n]. */
fun tileStarts(n: Int, tile: Int, overlap: Int): List<Int> {
    require(n > 0) { "image side must be positive, got $n" }
    require(tile > 0) { "tile must be positive, got $tile" }
    require(overlap in 0 until tile) {
        "overlap must be in [0, tile), got overlap=$overlap, tile=$tile"
    }
    if (n <= tile) return listOf(0)
    val stride = tile - overlap
    val starts = ArrayList<Int>()
    var start = 0
    while (true) {
        if (start + tile >= n) {
            starts.add(n - tile)
            break
        }
        starts.add(start)
        start += stride
    }
    return starts
}

/** Per-pixel blending weights of one tile axis of [length] pixels (all > 0). */
fun blendWeights1d(length: Int, overlap: Int): FloatArray {
    if (overlap <= 0) return FloatArray(length) { 1f }
    // Computed in double and rounded once to float, exactly as numpy does (float64 -> float32).
    val o = overlap.toDouble()
    return FloatArray(length) { i ->
        min(1.0, min((i + 0.5) / o, (length - i - 0.5) / o)).toFloat()
    }
}

/** One tile: the window [y, y + h) x [x, x + w) of the image. */
data class Tile(val y: Int, val x: Int, val h: Int, val w: Int)

/** All tiles covering a [height] x [width] image, row-major (the order the blend adds them). */
class TilePlan(
    val height: Int,
    val width: Int,
    val tile: Int,
    val overlap: Int,
    val tiles: List<Tile>,
) {
    /** 2-D blending weights (h * w, row-major) of tile [t]: the outer product w_y(i) * w_x(j). */
    fun weights(t: Tile): FloatArray {
        val wy = blendWeights1d(t.h, overlap)
        val wx = blendWeights1d(t.w, overlap)
        val out = FloatArray(t.h * t.w)
        for (i in 0 until t.h) for (j in 0 until t.w) out[i * t.w + j] = wy[i] * wx[j]
        return out
    }
}

/** The tiling plan of an image; see the rule at the top of this file. */
fun planTiles(height: Int, width: Int, tile: Int, overlap: Int): TilePlan {
    val ys = tileStarts(height, tile, overlap)
    val xs = tileStarts(width, tile, overlap)
    val tiles = ys.flatMap { y -> xs.map { x -> Tile(y, x, min(tile, height), min(tile, width)) } }
    return TilePlan(height, width, tile, overlap, tiles)
}
