package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class DeblurPipelineTest {
    private fun image(h: Int, w: Int, seed: Int) =
        FloatImage(h, w, 3, FloatArray(h * w * 3) { ((it * 7 + seed) % 200) / 199f })

    @Test
    fun fixedShapeModelSeesPaddedTilesAndTheOutputIsCroppedBack() {
        val tile = 16
        val shapes = ArrayList<Int>()
        // Model: average of the two views (a per-pixel function, so blending must reproduce it).
        val model = TileModel { l, r ->
            shapes.add(l.size)
            FloatArray(l.size) { (l[it] + r[it]) * 0.5f }
        }
        for ((h, w) in listOf(5 to 9, 16 to 16, 23 to 40)) {
            val left = image(h, w, 1)
            val right = image(h, w, 5)
            val out = DeblurPipeline(tile, 4, model).run(left, right, StageTimer { 0L })
            assertEquals(h, out.height)
            assertEquals(w, out.width)
            for (i in out.data.indices) {
                assertEquals((left.data[i] + right.data[i]) * 0.5f, out.data[i], 1e-6f, "${h}x$w at $i")
            }
        }
        assertTrue(shapes.all { it == tile * tile * 3 }, "model must always get full tiles")
    }

    @Test
    fun edgePaddingRepeatsTheBorder() {
        val img = FloatImage(1, 2, 3, floatArrayOf(1f, 2f, 3f, 4f, 5f, 6f)).padEdge(2, 3)
        assertEquals(listOf(1f, 2f, 3f, 4f, 5f, 6f, 4f, 5f, 6f, 1f, 2f, 3f, 4f, 5f, 6f, 4f, 5f, 6f), img.data.toList())
    }

    @Test
    fun timesEveryStageAndReportsProgress() {
        var now = 0L
        val timer = StageTimer { now += 1000; now }
        val progress = ArrayList<Pair<Int, Int>>()
        DeblurPipeline(8, 2, TileModel { l, _ -> l }).run(image(10, 10, 0), image(10, 10, 3), timer) { k, n ->
            progress.add(k to n)
        }
        assertEquals(listOf(1 to 4, 2 to 4, 3 to 4, 4 to 4), progress)
        val t = timer.timings()
        assertTrue(t.preprocessMs > 0 && t.inferenceMs > 0 && t.blendMs > 0)
        assertTrue(t.totalMs >= t.preprocessMs + t.inferenceMs + t.blendMs)
    }

    @Test
    fun rejectsAWrongSizedModelOutputAndMismatchedViews() {
        val bad = DeblurPipeline(8, 2, TileModel { _, _ -> FloatArray(10) })
        assertFailsWith<IllegalStateException> { bad.run(image(8, 8, 0), image(8, 8, 0), StageTimer { 0L }) }
        val ok = DeblurPipeline(8, 2, TileModel { l, _ -> l })
        assertFailsWith<IllegalArgumentException> { ok.run(image(8, 8, 0), image(8, 9, 0), StageTimer { 0L }) }
        assertFailsWith<IllegalArgumentException> { DeblurPipeline(8, 8, TileModel { l, _ -> l }) }
    }
}
