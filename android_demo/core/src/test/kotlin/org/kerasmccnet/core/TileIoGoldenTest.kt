package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Tile padding, output crop + clamp and int8 (de)quantisation against export/runtime.py. */
class TileIoGoldenTest {
    private val golden = Golden.load("tile_io.json")

    @Test
    fun smallTilesArePaddedAndOutputsClampedLikeTheHostRuntime() {
        val tiles = Golden.maps(golden["tiles"])
        assertTrue(tiles.size >= 5)
        for (t in tiles) {
            val tile = Golden.int(t["tile"])
            val h = Golden.int(t["height"])
            val w = Golden.int(t["width"])
            val left = padTileForModel(Golden.inputImage(h, w, 0), tile)
            val right = padTileForModel(Golden.inputImage(h, w, 13), tile)
            assertEquals(-1, Golden.firstBitMismatch(Golden.floats(t["padded_left"]), left.data),
                "padding of ${h}x$w to $tile")
            val raw = FloatArray(left.data.size) { left.data[it] * 1.5f - right.data[it] * 0.25f - 0.125f }
            val out = finishTileOutput(raw, tile, h, w)
            assertEquals(-1, Golden.firstBitMismatch(Golden.floats(t["output"]), out.data),
                "crop + clamp of ${h}x$w from $tile")
        }
    }

    @Test
    fun int8QuantizationMatchesTheHostRuntime() {
        val cases = Golden.maps(golden["quantization"])
        assertTrue(cases.any { Golden.int(it["zero_point"]) % 2 != 0 }, "need an odd zero point")
        for (c in cases) {
            val q = Quantization((c["scale"] as Double).toFloat(), Golden.int(c["zero_point"]))
            val bytes = q.quantize(Golden.floats(c["values"]))
            assertEquals(Golden.ints(c["quantized"]), bytes.map { it.toInt() }, "quantize with $q")
            assertEquals(-1, Golden.firstBitMismatch(Golden.floats(c["dequantized"]), q.dequantize(bytes)),
                "dequantize with $q")
        }
    }
}
