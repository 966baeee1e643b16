package org.kerasmccnet.core

/**
 * Resources opened one after another that must all be closed, on success and on partial failure:
 * native handles (LiteRT's environment, compiled model, tensor buffers) have no finalizer, so one
 * that is never closed leaks. [push] each resource as soon as it exists; [close] closes them newest
 * first (a buffer before the model it came from) and tries every one even when a close throws.
 */
class ResourceStack : AutoCloseable {
    private val opened = ArrayList<AutoCloseable>()

    /** Takes ownership of [resource] and returns it. */
    fun <T : AutoCloseable> push(resource: T): T {
        opened.add(resource)
        return resource
    }

    /**
     * Closes everything pushed, newest first, and forgets it (a second call closes nothing). The
     * first failure is thrown after all closes ran, later ones are attached to it as suppressed.
     */
    override fun close() {
        var first: Throwable? = null
        closeEach { e -> if (first == null) first = e else first!!.addSuppressed(e) }
        first?.let { throw it }
    }

    /**
     * Closes everything after [cause] stopped the opening: close failures are attached to [cause]
     * (the error the caller rethrows), so they never hide it.
     */
    fun closeAfter(cause: Throwable) {
        closeEach { e -> if (e !== cause) cause.addSuppressed(e) }
    }

    private fun closeEach(onFailure: (Throwable) -> Unit) {
        val newestFirst = opened.asReversed().toList()
        opened.clear()
        for (resource in newestFirst) {
            try {
                resource.close()
            } catch (e: Throwable) {
                onFailure(e)
            }
        }
    }
}
