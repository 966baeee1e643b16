package org.kerasmccnet.core

/** Reads the golden vectors that android_demo/tools/make_golden_vectors.py writes from Python. */
object Golden {
    @Suppress("UNCHECKED_CAST")
    fun load(name: String): Map<String, Any?> {
        val stream = Golden::class.java.getResourceAsStream("/golden/$name")
            ?: error("golden file $name missing from the test classpath; run make_golden_vectors.py")
        return Json.parse(stream.bufferedReader().use { it.readText() }) as Map<String, Any?>
    }

    @Suppress("UNCHECKED_CAST")
    fun maps(v: Any?): List<Map<String, Any?>> = v as List<Map<String, Any?>>

    fun ints(v: Any?): List<Int> = (v as List<*>).map { (it as Double).toInt() }

    fun floats(v: Any?): FloatArray = (v as List<*>).map { (it as Double).toFloat() }.toFloatArray()

    fun doubles(v: Any?): List<Double> = (v as List<*>).map { it as Double }

    fun int(v: Any?): Int = (v as Double).toInt()

    /** The (tile, overlap, height, width) of a tiling case. */
    data class Case(val tile: Int, val overlap: Int, val height: Int, val width: Int)

    fun case(c: Map<String, Any?>) = Case(int(c["tile"]), int(c["overlap"]), int(c["height"]), int(c["width"]))

    /** Index of the first value whose float32 bits differ, or -1 when all are bit-identical. */
    fun firstBitMismatch(expected: FloatArray, actual: FloatArray): Int {
        if (expected.size != actual.size) return minOf(expected.size, actual.size)
        return expected.indices.firstOrNull { expected[it].toRawBits() != actual[it].toRawBits() } ?: -1
    }

    /** The script's input_image(): left[y, x, c] = f32(((31y + 17x + 5c + phase) % 101) / 101), RGB. */
    fun inputImage(h: Int, w: Int, phase: Int): FloatImage {
        val data = FloatArray(h * w * 3)
        for (y in 0 until h) for (x in 0 until w) for (c in 0 until 3) {
            data[(y * w + x) * 3 + c] = (((y * 31 + x * 17 + c * 5 + phase) % 101) / 101.0).toFloat()
        }
        return FloatImage(h, w, 3, data)
    }

    /** The script's tile_pattern(): f32(((7k + 3i + 5j + 11c) % 97) / 97) for tile k. */
    fun tilePattern(k: Int, i: Int, j: Int, c: Int): Float = (((k * 7 + i * 3 + j * 5 + c * 11) % 97) / 97.0).toFloat()

    /** The script's defocus_pattern(): f32((((5k + 7i + 3j) % 23) - 11) / 4) for tile k. */
    fun defocusPattern(k: Int, i: Int, j: Int): Float = ((((k * 5 + i * 7 + j * 3) % 23) - 11) / 4.0).toFloat()
}
