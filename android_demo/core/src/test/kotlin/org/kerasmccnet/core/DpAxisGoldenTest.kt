package org.kerasmccnet.core

import kotlin.math.abs
import kotlin.math.sin
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The DP split axis against keras_mccnet/dp_axis.py (golden/dp_axis.json), and the pipeline's use of it. */
class DpAxisGoldenTest {
    private val golden = Golden.load("dp_axis.json")

    /** The script's dp_axis_view(): three oriented sinusoids, the second view shifted along x. */
    private fun view(h: Int, w: Int, shifted: Boolean): FloatImage {
        val data = FloatArray(h * w * 3)
        for (y in 0 until h) for (x in 0 until w) for (c in 0 until 3) {
            val xd = x.toDouble() - if (!shifted) 0.0 else if (x < w / 2) 1.25 else -0.75
            val yd = y.toDouble()
            val cd = c.toDouble()
            val v = 0.5 + 0.18 * sin(0.83 * xd + 0.37 * yd + cd) + 0.14 * sin(0.29 * xd - 0.71 * yd + 1.0) +
                0.1 * sin(0.53 * xd + 0.61 * yd + 2.0 + 0.5 * cd)
            data[(y * w + x) * 3 + c] = v.toFloat()
        }
        return FloatImage(h, w, 3, data)
    }

    @Test
    fun constantsAreThePythonOnes() {
        val c = golden["constants"] as Map<*, *>
        assertEquals(DpAxis.MEASURE_SIDE, Golden.int(c["measure_side"]))
        assertEquals(DpAxis.BLOCK, Golden.int(c["block"]))
        assertEquals(DpAxis.MIN_SHIFT_PX, (c["min_shift_px"] as Double).toFloat())
        assertEquals(DpAxis.VERTICAL_RATIO, (c["vertical_ratio"] as Double).toFloat())
        assertEquals(DpAxis.MIN_EXPLAINED, (c["min_explained"] as Double).toFloat())
    }

    @Test
    fun measurementsMatchPython() {
        val cases = Golden.maps(golden["cases"])
        assertEquals(listOf("horizontal", "vertical", "same", "cropped"), cases.map { it["name"] })
        for (c in cases) {
            val h = Golden.int(c["height"])
            val w = Golden.int(c["width"])
            var left = view(h, w, false)
            var right = view(h, w, c["second_view_shifted"] as Boolean)
            if (c["transposed"] as Boolean) {
                left = DpAxis.transpose(left)
                right = DpAxis.transpose(right)
            }
            val m = DpAxis.measure(left, right)
            val name = c["name"]
            // OpenCV sums in another order: agreement to ~1e-5 relative is expected, 1e-3 px allowed
            assertTrue(abs(m.horizontalShift - (c["horizontal"] as Double)) < 1e-3, "$name: row shift ${m.horizontalShift} vs ${c["horizontal"]}")
            assertTrue(abs(m.verticalShift - (c["vertical"] as Double)) < 1e-3, "$name: column shift ${m.verticalShift} vs ${c["vertical"]}")
            assertTrue(abs(m.explained - (c["explained"] as Double)) < 1e-3, "$name: explained ${m.explained} vs ${c["explained"]}")
            assertEquals(c["axis"] == "vertical", m.vertical, "$name: axis")
        }
    }

    @Test
    fun transposeSwapsRowsAndColumnsAndUndoesItself() {
        val image = Golden.inputImage(3, 5, 0)
        val t = DpAxis.transpose(image)
        assertEquals(5, t.height)
        assertEquals(3, t.width)
        assertEquals(image[2, 4, 1], t[4, 2, 1])
        assertEquals(-1, Golden.firstBitMismatch(image.data, DpAxis.transpose(t).data))
    }

    /** A fake model whose output is the tile column: not transpose-equivariant, so a transposed run shows. */
    private val columnModel = TileModel { l, _ ->
        val tile = sqrt3(l.size)
        TileOutputs(FloatArray(l.size) { ((it / 3) % tile).toFloat() / tile })
    }

    private fun sqrt3(n: Int): Int = kotlin.math.sqrt(n / 3.0).toInt()

    @Test
    fun aTopBottomPairRunsTransposedAndComesBackUpright() {
        val left = DpAxis.transpose(view(80, 96, false))
        val right = DpAxis.transpose(view(80, 96, true))
        val pipeline = DeblurPipeline(128, 16, columnModel)
        val auto = pipeline.run(left, right, StageTimer { 0L })
        assertTrue(auto.transposed)
        assertTrue(auto.dpAxis!!.vertical)
        assertEquals(96, auto.image.height)
        assertEquals(80, auto.image.width)
        // the model saw the transposed views, so its column ramp comes back as a row ramp
        assertEquals(5f / 128, auto.image[5, 70, 0])
        val asIs = pipeline.run(left, right, StageTimer { 0L }, axis = DpAxisChoice.HORIZONTAL)
        assertFalse(asIs.transposed)
        assertNull(asIs.dpAxis)
        assertEquals(70f / 128, asIs.image[5, 70, 0])
        val forced = pipeline.run(left, right, StageTimer { 0L }, axis = DpAxisChoice.VERTICAL)
        assertTrue(forced.transposed)
        assertEquals(-1, Golden.firstBitMismatch(auto.image.data, forced.image.data))
    }

    @Test
    fun aSideBySidePairAndIdenticalViewsStayUpright() {
        val pipeline = DeblurPipeline(128, 16, columnModel)
        val sideways = pipeline.run(view(80, 96, false), view(80, 96, true), StageTimer { 0L })
        assertFalse(sideways.transposed)
        assertFalse(sideways.dpAxis!!.vertical)
        val same = pipeline.run(view(80, 96, false), view(80, 96, false), StageTimer { 0L })
        assertFalse(same.transposed)
    }
}
