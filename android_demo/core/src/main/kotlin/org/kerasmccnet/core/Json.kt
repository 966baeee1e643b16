package org.kerasmccnet.core

/** Raised for text that is not valid JSON; the message names the character offset. */
class JsonException(message: String) : IllegalArgumentException(message)

/**
 * A small, strict JSON reader (RFC 8259) so the core has no dependency at all: the same code reads
 * the model metadata on the phone and the golden vectors on the JVM.
 *
 * Values come back as plain Kotlin: `Map<String, Any?>` (key order kept), `List<Any?>`, `String`,
 * `Double` (every number: JSON has one number type, and a Double holds any float32 or int32
 * exactly), `Boolean` and `null`.
 */
object Json {
    fun parse(text: String): Any? {
        val reader = Reader(text)
        reader.skipSpace()
        val value = reader.value()
        reader.skipSpace()
        if (!reader.atEnd()) reader.fail("unexpected trailing text")
        return value
    }

    private class Reader(private val s: String) {
        private var i = 0

        fun atEnd() = i >= s.length

        fun fail(what: String): Nothing = throw JsonException("invalid JSON at offset $i: $what")

        fun skipSpace() {
            while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++
        }

        fun value(): Any? {
            if (atEnd()) fail("unexpected end of text")
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> array()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (c == '-' || c in '0'..'9') number() else fail("unexpected '$c'")
            }
        }

        private fun literal(word: String, result: Any?): Any? {
            if (!s.startsWith(word, i)) fail("expected '$word'")
            i += word.length
            return result
        }

        private fun obj(): Map<String, Any?> {
            val map = LinkedHashMap<String, Any?>()
            i++ // '{'
            skipSpace()
            if (i < s.length && s[i] == '}') { i++; return map }
            while (true) {
                skipSpace()
                if (atEnd() || s[i] != '"') fail("expected a string key")
                val key = string()
                skipSpace()
                if (atEnd() || s[i] != ':') fail("expected ':' after key \"$key\"")
                i++
                skipSpace()
                if (map.containsKey(key)) fail("duplicate key \"$key\"")
                map[key] = value()
                skipSpace()
                if (atEnd()) fail("unterminated object")
                when (s[i]) {
                    ',' -> i++
                    '}' -> { i++; return map }
                    else -> fail("expected ',' or '}'")
                }
            }
        }

        private fun array(): List<Any?> {
            val list = ArrayList<Any?>()
            i++ // '['
            skipSpace()
            if (i < s.length && s[i] == ']') { i++; return list }
            while (true) {
                skipSpace()
                list.add(value())
                skipSpace()
                if (atEnd()) fail("unterminated array")
                when (s[i]) {
                    ',' -> i++
                    ']' -> { i++; return list }
                    else -> fail("expected ',' or ']'")
                }
            }
        }

        private fun string(): String {
            i++ // opening quote
            val out = StringBuilder()
            while (true) {
                if (atEnd()) fail("unterminated string")
                val c = s[i++]
                when {
                    c == '"' -> return out.toString()
                    c == '\\' -> {
                        if (atEnd()) fail("unterminated escape")
                        when (val e = s[i++]) {
                            '"' -> out.append('"')
                            '\\' -> out.append('\\')
                            '/' -> out.append('/')
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000C')
                            'n' -> out.append('\n')
                            'r' -> out.append('\r')
                            't' -> out.append('\t')
                            'u' -> {
                                if (i + 4 > s.length) fail("short \\u escape")
                                val code = s.substring(i, i + 4).toIntOrNull(16) ?: fail("bad \\u escape")
                                out.append(code.toChar())
                                i += 4
                            }
                            else -> fail("bad escape '\\$e'")
                        }
                    }
                    c < ' ' -> fail("control character in string")
                    else -> out.append(c)
                }
            }
        }

        private fun number(): Double {
            val start = i
            if (s[i] == '-') i++
            if (atEnd()) fail("truncated number")
            if (s[i] == '0') i++ else digits()
            if (i < s.length && s[i] == '.') { i++; digits() }
            if (i < s.length && (s[i] == 'e' || s[i] == 'E')) {
                i++
                if (i < s.length && (s[i] == '+' || s[i] == '-')) i++
                digits()
            }
            // Java's parser rounds correctly, so a float32 written as its shortest decimal
            // reads back bit-exactly after toFloat().
            return s.substring(start, i).toDouble()
        }

        private fun digits() {
            val start = i
            while (i < s.length && s[i] in '0'..'9') i++
            if (i == start) fail("expected a digit")
        }
    }
}
