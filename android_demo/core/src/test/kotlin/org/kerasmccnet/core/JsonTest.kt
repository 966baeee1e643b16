package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class JsonTest {
    @Test
    fun parsesAllValueKinds() {
        val v = Json.parse(""" { "a": [1, -2.5e3, 0.125, true, false, null], "s": "x\"\\\/\n\u00e9", "o": {} } """)
        assertEquals(
            mapOf("a" to listOf(1.0, -2500.0, 0.125, true, false, null), "s" to "x\"\\/\né", "o" to emptyMap<String, Any?>()),
            v,
        )
        assertEquals(emptyList<Any?>(), Json.parse("[]"))
        assertEquals("top", Json.parse("\"top\""))
    }

    @Test
    fun float32ShortestDecimalsReadBackBitExact() {
        for (f in listOf(0.1f, 1f / 3f, 0.0078125f, 1.17549435E-38f, 3.4028235E38f, 1.4E-45f)) {
            assertEquals(f.toRawBits(), (Json.parse(f.toString()) as Double).toFloat().toRawBits(), "$f")
        }
    }

    @Test
    fun rejectsMalformedText() {
        for (bad in listOf("", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "01", "1.", "-", "tru", "\"abc",
            "[1] 2", "{\"a\": 1, \"a\": 2}", "\"tab\there\"", "{1: 2}", "\"\\x\"")) {
            assertFailsWith<JsonException>("should reject: $bad") { Json.parse(bad) }
        }
    }
}
