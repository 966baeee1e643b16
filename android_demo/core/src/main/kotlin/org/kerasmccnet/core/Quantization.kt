package org.kerasmccnet.core

/**
 * Affine int8 quantisation of a tensor (TFLite's rule): real = (q - zeroPoint) * scale.
 * Only full-int8 models with int8 inputs/outputs need it; the metadata says so per tensor.
 */
data class Quantization(val scale: Float, val zeroPoint: Int) {
    init {
        require(scale > 0f && scale.isFinite()) { "quantization scale must be positive, got $scale" }
        require(zeroPoint in -128..127) { "int8 zero_point must be in [-128, 127], got $zeroPoint" }
    }

    /**
     * q = clamp(round_half_even(real / scale + zeroPoint), -128, 127), in float32 like numpy in
     * export/runtime.py (the zero point is added before rounding: with an odd zero point,
     * rounding first would break ties the other way).
     */
    fun quantize(values: FloatArray): ByteArray = ByteArray(values.size) {
        val v = values[it]
        // Clamped in double before the Int conversion, so huge values cannot overflow and wrap.
        val q = if (v.isNaN()) zeroPoint.toDouble() else Math.rint((v / scale + zeroPoint).toDouble())
        q.coerceIn(-128.0, 127.0).toInt().toByte()
    }

    fun dequantize(values: ByteArray): FloatArray = FloatArray(values.size) {
        (values[it] - zeroPoint) * scale
    }
}
