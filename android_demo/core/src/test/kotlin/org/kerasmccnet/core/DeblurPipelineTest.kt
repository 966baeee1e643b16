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
            TileOutputs(FloatArray(l.size) { (l[it] + r[it]) * 0.5f })
        }
        for ((h, w) in listOf(5 to 9, 16 to 16, 23 to 40)) {
            val left = image(h, w, 1)
            val right = image(h, w, 5)
            val out = DeblurPipeline(tile, 4, model).run(left, right, StageTimer { 0L }).image
            assertEquals(h, out.height)
            assertEquals(w, out.width)
            for (i in out.data.indices) {
                assertEquals((left.data[i] + right.data[i]) * 0.5f, out.data[i], 1e-6f, "${h}x$w at $i")
            }
        }
        assertTrue(shapes.all { it == tile * tile * 3 }, "model must always get full tiles")
    }

    @Test
    fun paddingRepeatsOrMirrorsTheBorder() {
        val img = FloatImage(1, 2, 1, floatArrayOf(1f, 2f))
        assertEquals(listOf(1f, 2f, 2f, 1f, 2f, 2f), img.pad(2, 3, symmetric = false).data.toList())
        assertEquals(listOf(1f, 2f, 2f, 1f, 1f, 2f, 2f, 1f), img.pad(2, 4, symmetric = true).data.toList())
        assertFailsWith<IllegalArgumentException> { img.pad(2, 5, symmetric = true) }
        // The model input rule: mirror when the pad fits inside the crop, else repeat the edge.
        val strip = FloatImage(3, 8, 1, FloatArray(24) { it.toFloat() }) // pad 5 > 3 rows: edge
        assertEquals(strip.crop(2, 0, 1, 8).data.toList(), padTileForModel(strip, 8).crop(7, 0, 1, 8).data.toList())
        val block = FloatImage(5, 8, 1, FloatArray(40) { it.toFloat() }) // pad 3 <= 5 rows: mirror
        val padded = padTileForModel(block, 8)
        assertEquals(block.crop(4, 0, 1, 8).data.toList(), padded.crop(5, 0, 1, 8).data.toList())
        assertEquals(block.crop(2, 0, 1, 8).data.toList(), padded.crop(7, 0, 1, 8).data.toList())
    }

    @Test
    fun timesEveryStageAndReportsProgress() {
        var now = 0L
        val timer = StageTimer { now += 1000; now }
        val progress = ArrayList<Pair<Int, Int>>()
        DeblurPipeline(8, 2, TileModel { l, _ -> TileOutputs(l) }).run(image(10, 10, 0), image(10, 10, 3), timer) { k, n ->
            progress.add(k to n)
        }
        assertEquals(listOf(1 to 4, 2 to 4, 3 to 4, 4 to 4), progress)
        val t = timer.timings()
        assertTrue(t.preprocessMs > 0 && t.inferenceMs > 0 && t.blendMs > 0)
        assertTrue(t.totalMs >= t.preprocessMs + t.inferenceMs + t.blendMs)
    }

    @Test
    fun outputsAreClampedBeforeBlending() {
        val out = DeblurPipeline(8, 2, TileModel { l, _ -> TileOutputs(FloatArray(l.size) { 3f }) })
            .run(image(5, 5, 0), image(5, 5, 0), StageTimer { 0L }).image
        assertTrue(out.data.all { it == 1f })
    }

    @Test
    fun rejectsAWrongSizedModelOutputAndMismatchedViews() {
        val bad = DeblurPipeline(8, 2, TileModel { _, _ -> TileOutputs(FloatArray(10)) })
        assertFailsWith<IllegalStateException> { bad.run(image(8, 8, 0), image(8, 8, 0), StageTimer { 0L }) }
        val ok = DeblurPipeline(8, 2, TileModel { l, _ -> TileOutputs(l) })
        assertFailsWith<IllegalArgumentException> { ok.run(image(8, 8, 0), image(8, 9, 0), StageTimer { 0L }) }
        assertFailsWith<IllegalArgumentException> { DeblurPipeline(8, 8, TileModel { l, _ -> TileOutputs(l) }) }
    }
}
