package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** The Kotlin tiler against numbers produced by keras_mccnet.tiling (Python). */
class TilePlanGoldenTest {
    private val golden = Golden.load("tiling.json")
    private val channels = Golden.int(golden["channels"])

    @Test
    fun tileStartsAndWindowsMatchPython() {
        val cases = Golden.maps(golden["cases"])
        assertTrue(cases.size >= 10, "golden file holds too few cases")
        for (c in cases) {
            val (tile, overlap, h, w) = Golden.case(c)
            val label = "${h}x$w tile $tile overlap $overlap"
            assertEquals(Golden.ints(c["starts_y"]), tileStarts(h, tile, overlap), "starts_y of $label")
            assertEquals(Golden.ints(c["starts_x"]), tileStarts(w, tile, overlap), "starts_x of $label")
            val expected = (c["tiles"] as List<*>).map { Golden.ints(it).let { (y, x, th, tw) -> Tile(y, x, th, tw) } }
            assertEquals(expected, planTiles(h, w, tile, overlap).tiles, "tiles of $label")
        }
    }

    @Test
    fun blendWeightsAreBitIdenticalToPython() {
        val weights = Golden.maps(golden["weights"])
        assertTrue(weights.any { Golden.int(it["overlap"]) == 0 } && weights.any { Golden.int(it["overlap"]) == 64 })
        for (entry in weights) {
            val n = Golden.int(entry["length"])
            val o = Golden.int(entry["overlap"])
            val mismatch = Golden.firstBitMismatch(Golden.floats(entry["values"]), blendWeights1d(n, o))
            assertEquals(-1, mismatch, "weights of length $n overlap $o differ at index $mismatch")
        }
    }

    @Test
    fun blendedResultsAreBitIdenticalToPython() {
        val blendCases = Golden.maps(golden["cases"]).filter { it.containsKey("blended") }
        assertTrue(blendCases.size >= 6, "golden file holds too few blend cases")
        for (c in blendCases) {
            val (tile, overlap, h, w) = Golden.case(c)
            var k = 0
            val out = runTiled(Golden.inputImage(h, w, 0), Golden.inputImage(h, w, 13), tile, overlap) { l, r ->
                tileFn(k++, l, r)
            }
            val expected = Golden.floats(c["blended"])
            val mismatch = Golden.firstBitMismatch(expected, out.data)
            assertEquals(-1, mismatch,
                "blend of ${h}x$w tile $tile overlap $overlap differs at $mismatch: " +
                    "python ${expected.getOrNull(mismatch)} kotlin ${out.data.getOrNull(mismatch)}")
        }
    }

    /** The script's fn: l * 0.5 + r * 0.25 + f32(((7k + 3i + 5j + 11c) % 97) / 97), in float32. */
    private fun tileFn(k: Int, l: FloatImage, r: FloatImage): FloatImage {
        val data = FloatArray(l.data.size)
        for (i in 0 until l.height) for (j in 0 until l.width) for (c in 0 until channels) {
            val p = (i * l.width + j) * channels + c
            data[p] = l.data[p] * 0.5f + r.data[p] * 0.25f + Golden.tilePattern(k, i, j, c)
        }
        return FloatImage(l.height, l.width, channels, data)
    }
}
