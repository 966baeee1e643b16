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

    /** Index of the first value whose float32 bits differ, or -1 when all are bit-identical. */
    fun firstBitMismatch(expected: FloatArray, actual: FloatArray): Int {
        if (expected.size != actual.size) return minOf(expected.size, actual.size)
        return expected.indices.firstOrNull { expected[it].toRawBits() != actual[it].toRawBits() } ?: -1
    }
}
