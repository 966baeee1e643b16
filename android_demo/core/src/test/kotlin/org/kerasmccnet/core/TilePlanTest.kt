package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class TilePlanTest {
    @Test
    fun rejectsInvalidArguments() {
        assertFailsWith<IllegalArgumentException> { tileStarts(0, 8, 2) }
        assertFailsWith<IllegalArgumentException> { tileStarts(10, 0, 0) }
        assertFailsWith<IllegalArgumentException> { tileStarts(10, 8, 8) }
        assertFailsWith<IllegalArgumentException> { tileStarts(10, 8, -1) }
    }

    @Test
    fun tilesCoverEveryPixelAndStayInside() {
        for (tile in listOf(4, 7, 16)) for (overlap in listOf(0, 1, tile / 2, tile - 1)) {
            for (n in listOf(1, 3, tile - 1, tile, tile + 1, 2 * tile + 3, 50)) {
                val starts = tileStarts(n, tile, overlap)
                val len = minOf(tile, n)
                val covered = BooleanArray(n)
                for (s in starts) {
                    assertTrue(s >= 0 && s + len <= n, "tile at $s of $len leaves axis $n")
                    for (i in s until s + len) covered[i] = true
                }
                assertTrue(covered.all { it }, "axis $n tile $tile overlap $overlap leaves a gap")
                assertEquals(starts.sorted(), starts, "starts must increase")
            }
        }
    }

    @Test
    fun weightsArePositiveSymmetricAndOneInTheMiddle() {
        val w = blendWeights1d(512, 64)
        assertTrue(w.all { it > 0f && it <= 1f })
        for (i in w.indices) assertEquals(w[i], w[w.size - 1 - i])
        assertEquals(0.5f / 64f, w[0])
        assertEquals(1f, w[256])
        assertTrue(blendWeights1d(10, 0).all { it == 1f })
    }

    @Test
    fun planIsRowMajor() {
        val plan = planTiles(20, 30, 16, 4)
        assertEquals(listOf(Tile(0, 0, 16, 16), Tile(0, 12, 16, 16), Tile(0, 14, 16, 16),
            Tile(4, 0, 16, 16), Tile(4, 12, 16, 16), Tile(4, 14, 16, 16)), plan.tiles)
    }

    @Test
    fun blendOfIdenticalTilesReproducesTheImage() {
        val h = 19
        val w = 23
        val img = FloatImage(h, w, 3, FloatArray(h * w * 3) { (it % 251) / 250f })
        val out = runTiled(img, img, 8, 3) { l, _ -> l }
        for (i in img.data.indices) assertEquals(img.data[i], out.data[i], 1e-6f)
    }
}
