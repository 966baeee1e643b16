package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame
import kotlin.test.assertTrue

class ResourceStackTest {
    private class Handle(val name: String, val log: MutableList<String>, val failOnClose: Boolean = false) :
        AutoCloseable {
        override fun close() {
            log.add(name)
            if (failOnClose) throw IllegalStateException("close $name")
        }
    }

    @Test
    fun closesNewestFirstAndOnlyOnce() {
        val log = ArrayList<String>()
        val stack = ResourceStack()
        val env = stack.push(Handle("env", log))
        stack.push(Handle("model", log))
        stack.push(Handle("buffer", log))
        assertEquals("env", env.name)
        stack.close()
        stack.close()
        assertEquals(listOf("buffer", "model", "env"), log)
    }

    @Test
    fun aFailingCloseStillClosesTheRestAndReportsEveryFailure() {
        val log = ArrayList<String>()
        val stack = ResourceStack()
        stack.push(Handle("env", log, failOnClose = true))
        stack.push(Handle("model", log))
        stack.push(Handle("buffer", log, failOnClose = true))
        val e = assertFailsWith<IllegalStateException> { stack.close() }
        assertEquals(listOf("buffer", "model", "env"), log)
        assertEquals("close buffer", e.message)
        assertEquals(listOf("close env"), e.suppressed.map { it.message })
    }

    @Test
    fun partialOpeningClosesWhatWasOpenedAndKeepsTheOpeningError() {
        // The shape of ModelRunner.init: the third resource fails to open.
        val log = ArrayList<String>()
        val stack = ResourceStack()
        val opening = IllegalArgumentException("createInputBuffer(right) failed")
        val thrown = assertFailsWith<IllegalArgumentException> {
            try {
                stack.push(Handle("model", log))
                stack.push(Handle("left", log, failOnClose = true))
                throw opening
            } catch (e: Throwable) {
                stack.closeAfter(e)
                throw e
            }
        }
        assertSame(opening, thrown)
        assertEquals(listOf("left", "model"), log)
        assertEquals(listOf("close left"), thrown.suppressed.map { it.message })
        stack.close()
        assertTrue(log.size == 2, "closeAfter must leave nothing to close twice")
    }
}
