package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

class ModelMetadataTest {
    private fun resource(name: String): String =
        ModelMetadataTest::class.java.getResourceAsStream("/metadata/$name")!!.bufferedReader().use { it.readText() }

    private val fp16 = resource("mccnet_tiny_fp16.json")

    /** The fp16 example with one textual edit; the edit must apply, or the test proves nothing. */
    private fun edited(old: String, new: String): String {
        assertTrue(fp16.contains(old), "test edit '$old' not found in the example")
        return fp16.replaceFirst(old, new)
    }

    private fun assertRejected(json: String, vararg words: String) {
        val e = assertFailsWith<MetadataException> { ModelMetadata.parse(json, "model.json") }
        assertTrue(e.message!!.startsWith("model.json:"), "error must name the file: ${e.message}")
        for (w in words) assertTrue(e.message!!.contains(w), "error '${e.message}' should mention '$w'")
    }

    @Test
    fun parsesTheExportSchema() {
        val m = ModelMetadata.parse(fp16)
        assertEquals("mccnet_tiny_fp16.tflite", m.modelFile)
        assertEquals("mccnet_tiny", m.modelName)
        assertEquals("fp16", m.quantMode)
        assertEquals(listOf(1, 512, 512, 3), m.left.shape)
        assertEquals(512, m.left.height)
        assertEquals(512, m.left.width)
        assertEquals(3, m.left.channels)
        assertEquals(1 * 512 * 512 * 3, m.output.elementCount)
        assertEquals(TensorDtype.FLOAT32, m.right.dtype)
        assertNull(m.output.quantization)
        assertEquals(512, m.tileSize)
        assertEquals(64, m.tileOverlap)
    }

    @Test
    fun parsesInt8QuantizationAndIgnoresUnknownKeys() {
        val m = ModelMetadata.parse(resource("mccnet_tiny_int8.json"))
        // Inputs are listed right-first in this file: they are matched by name, not position.
        assertEquals("left", m.left.name)
        assertEquals(Quantization(0.003921568859368563.toFloat(), -128), m.left.quantization)
        assertEquals(Quantization(0.0045f, -110), m.output.quantization)
        assertEquals(TensorDtype.INT8, m.output.dtype)
        assertEquals(256, m.tileSize)
    }

    @Test
    fun readsWhatTheExporterWrites() {
        // Written by export/metadata.py's own builder (make_golden_vectors.py), kept fresh by pytest.
        fun golden(name: String) = ModelMetadataTest::class.java.getResourceAsStream("/golden/$name")!!
            .bufferedReader().use { it.readText() }
        val fp16 = ModelMetadata.parse(golden("metadata_fp16.json"))
        assertEquals("mccnet_tiny_fp16.tflite", fp16.modelFile)
        assertEquals(listOf(1, 512, 512, 3), fp16.output.shape)
        assertEquals(512 to 64, fp16.tileSize to fp16.tileOverlap)
        val int8 = ModelMetadata.parse(golden("metadata_int8.json"))
        assertEquals(TensorDtype.INT8, int8.left.dtype)
        assertEquals(Quantization((1.0 / 255).toFloat(), -128), int8.right.quantization)
        assertEquals(Quantization(0.0045f, -110), int8.output.quantization)
        assertEquals(256, int8.tileSize)
    }

    private fun golden(name: String) = ModelMetadataTest::class.java.getResourceAsStream("/golden/$name")!!
        .bufferedReader().use { it.readText() }

    @Test
    fun readsTheDefocusOutputTheExporterWrites() {
        val m = ModelMetadata.parse(golden("metadata_defocus.json"))
        assertEquals("deblurred", m.output.name)
        assertEquals(listOf(1, 256, 256, 3), m.output.shape)
        val d = m.defocus!!
        assertEquals(listOf(1, 256, 256, 1), d.shape)
        assertEquals(1, d.channels)
        assertEquals(TensorDtype.FLOAT32, d.dtype)
        assertNull(ModelMetadata.parse(fp16).defocus)
    }

    @Test
    fun rejectsOutputsOtherThanTheImageAndTheDefocusMap() {
        val defocus = golden("metadata_defocus.json")
        fun edit(old: String, new: String): String {
            assertTrue(defocus.contains(old), "test edit '$old' not found in metadata_defocus.json")
            return defocus.replaceFirst(old, new)
        }
        assertRejected(edit("\"name\": \"defocus\"", "\"name\": \"depth\""), "optionally \"defocus\"", "depth")
        assertRejected(edit("\"name\": \"defocus\"", "\"name\": \"deblurred\""), "deblurred")
        assertRejected(edit("\"name\": \"deblurred\"", "\"name\": \"defocus\""), "deblurred")
        // The defocus map has one channel and the image's height and width.
        val oneChannel = Regex("""\[\s*1,\s*256,\s*256,\s*1\s*]""")
        assertTrue(oneChannel.containsMatchIn(defocus), "test edit: no (1, 256, 256, 1) shape in the file")
        assertRejected(defocus.replace(oneChannel, "[1, 256, 256, 3]"), "defocus", "[1, 256, 256, 1]", "one channel")
        assertRejected(defocus.replace(oneChannel, "[1, 128, 256, 1]"), "defocus", "[1, 256, 256, 1]")
        // An input is never read as a one-channel map, whatever it is called.
        assertRejected(edited("\"name\": \"left\"", "\"name\": \"defocus\""), "left", "right")
    }

    @Test
    fun refusesAnySizeModelsSayingWhyAndWhatToExportInstead() {
        val e = assertFailsWith<MetadataException> { ModelMetadata.parse(golden("metadata_anysize.json"), "any.json") }
        val msg = e.message!!
        for (w in listOf("any.json", "inputs[0]", "[1, -1, -1, 3]", "--dynamic", "cannot resize", "mccnet export --tile N")) {
            assertTrue(msg.contains(w), "error '$msg' should mention '$w'")
        }
        // One side dynamic is refused the same way, and other non-positive sizes keep their own error.
        assertRejected(fp16.replace("[1, 512, 512, 3]", "[1, 512, -1, 3]"), "any-size", "--tile N")
        assertRejected(fp16.replace("[1, 512, 512, 3]", "[1, 0, 512, 3]"), "positive sizes")
    }

    @Test
    fun rejectsMissingKeys() {
        assertRejected(edited("\"quant_mode\": \"fp16\",", ""), "missing key", "quant_mode")
        assertRejected(edited("\"tile\": {\"size\": 512, \"overlap\": 64}", "\"tile\": {\"size\": 512}"),
            "missing key", "overlap")
        assertRejected(edited("\"dtype\": \"float32\", \"quantization\": null}", "\"dtype\": \"float32\"}"),
            "missing key", "quantization", "inputs[0]")
    }

    @Test
    fun rejectsShapesThatAreNotNhwc() {
        assertRejected(edited("[1, 512, 512, 3], \"dtype\": \"float32\", \"quantization\": null},\n",
            "[1, 512, 512], \"dtype\": \"float32\", \"quantization\": null},\n"), "(n, h, w, c)")
        // NCHW (channels first) is refused, not silently misread.
        assertRejected(fp16.replace("[1, 512, 512, 3]", "[1, 3, 512, 512]"), "c = 3")
        assertRejected(fp16.replace("[1, 512, 512, 3]", "[2, 512, 512, 3]"), "batch")
        assertRejected(fp16.replace("[1, 512, 512, 3]", "[1, 512.5, 512, 3]"), "integer")
    }

    @Test
    fun rejectsWrongTensorNames() {
        assertRejected(edited("\"name\": \"right\"", "\"name\": \"input_2\""), "left", "right", "input_2")
        assertRejected(edited("\"name\": \"left\"", "\"name\": \"right\""), "left", "right")
        assertRejected(edited("\"name\": \"deblurred\"", "\"name\": \"output_0\""), "deblurred")
    }

    @Test
    fun rejectsInconsistentOrUnsupportedValues() {
        assertRejected(edited("keras-mccnet-model/1", "keras-mccnet-model/2"), "unsupported format")
        assertRejected(edited("\"layout\": \"NHWC\"", "\"layout\": \"NCHW\""), "layout")
        assertRejected(edited("\"quant_mode\": \"fp16\"", "\"quant_mode\": \"int4\""), "quant_mode")
        assertRejected(edited("\"value_range\": [0.0, 1.0]", "\"value_range\": [-1.0, 1.0]"), "value_range")
        assertRejected(edited("\"size\": 512", "\"size\": 256"), "tile.size")
        assertRejected(edited("\"overlap\": 64", "\"overlap\": 512"), "overlap")
        assertRejected(fp16.replace("\"dtype\": \"float32\"", "\"dtype\": \"uint8\""), "dtype")
        assertRejected(fp16.replace("\"dtype\": \"float32\"", "\"dtype\": \"int8\""), "no quantization")
        assertRejected(fp16.replace("\"quantization\": null", "\"quantization\": {\"scale\": 0.0, \"zero_point\": 0}"),
            "scale")
        assertRejected("[1, 2]", "object")
        assertRejected("{\"format\": ", "invalid JSON")
    }
}
