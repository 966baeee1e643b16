package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The pipeline on a model with the defocus output, against make_golden_vectors.py's image +
 * defocus blends: the map is cropped, never clamped, and blended with the image's tile weights,
 * bit for bit as keras_mccnet.tiling.run_tiled does it.
 */
class DefocusBlendGoldenTest {
    private val cases = Golden.maps(Golden.load("tiling.json")["defocus_cases"])

    /** The script's fake two-output model, on the padded tiles the pipeline feeds it. */
    private fun model(tile: Int, mapOnTile: (Int) -> Boolean = { true }): TileModel {
        var k = 0
        return TileModel { l, r ->
            val image = FloatArray(tile * tile * 3)
            val defocus = FloatArray(tile * tile)
            for (i in 0 until tile) for (j in 0 until tile) {
                val p = i * tile + j
                for (c in 0 until 3) {
                    image[p * 3 + c] = l[p * 3 + c] * 0.5f + r[p * 3 + c] * 0.25f + Golden.tilePattern(k, i, j, c)
                }
                defocus[p] = (l[p * 3] - r[p * 3]) * 8f + Golden.defocusPattern(k, i, j)
            }
            TileOutputs(image, defocus.takeIf { mapOnTile(k++) })
        }
    }

    @Test
    fun imageAndDefocusBlendsAreBitIdenticalToPython() {
        assertTrue(cases.size >= 2, "golden file holds too few defocus cases")
        for (c in cases) {
            val (tile, overlap, h, w) = Golden.case(c)
            val expectedMap = Golden.floats(c["defocus"])
            // A clamp of the map to the image range would show: the golden map leaves [0, 1].
            assertTrue(expectedMap.any { it < 0f } && expectedMap.any { it > 1f })
            val out = DeblurPipeline(tile, overlap, model(tile))
                .run(Golden.inputImage(h, w, 0), Golden.inputImage(h, w, 13), StageTimer { 0L })
            val map = out.defocus!!
            assertEquals(listOf(h, w, 1), listOf(map.height, map.width, map.channels))
            assertEquals(listOf(h, w, 3), listOf(out.image.height, out.image.width, out.image.channels))
            val label = "${h}x$w tile $tile overlap $overlap"
            assertEquals(-1, Golden.firstBitMismatch(Golden.floats(c["image"]), out.image.data), "image of $label")
            assertEquals(-1, Golden.firstBitMismatch(expectedMap, map.data), "defocus of $label")
        }
    }

    @Test
    fun aModelWithoutTheMapGivesNoneAndAMapOnSomeTilesOnlyFails() {
        val left = Golden.inputImage(13, 21, 0)
        val right = Golden.inputImage(13, 21, 13)
        val plain = DeblurPipeline(8, 3, model(8) { false }).run(left, right, StageTimer { 0L })
        assertNull(plain.defocus)
        assertEquals(13 * 21 * 3, plain.image.data.size)
        assertFailsWith<IllegalArgumentException> {
            DeblurPipeline(8, 3, model(8) { it == 0 }).run(left, right, StageTimer { 0L })
        }
    }
}
