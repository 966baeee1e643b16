// Stubs of kotlinx.coroutines (core 1.9.x, JVM): the declarations the app uses, with the library's
// signatures. Bodies throw: these declarations are only type-checked, never run.
package kotlinx.coroutines

import java.io.Closeable
import java.util.concurrent.ExecutorService
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.Continuation
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

private fun stub(): Nothing = throw UnsupportedOperationException("stub")

public interface CoroutineScope {
    public val coroutineContext: CoroutineContext
}

public interface Job : CoroutineContext.Element

public enum class CoroutineStart { DEFAULT, LAZY, ATOMIC, UNDISPATCHED }

public abstract class CoroutineDispatcher :
    AbstractCoroutineContextElement(ContinuationInterceptor), ContinuationInterceptor {
    public abstract fun dispatch(context: CoroutineContext, block: Runnable)

    final override fun <T> interceptContinuation(continuation: Continuation<T>): Continuation<T> = stub()
}

public abstract class ExecutorCoroutineDispatcher : CoroutineDispatcher(), Closeable

public fun ExecutorService.asCoroutineDispatcher(): ExecutorCoroutineDispatcher = stub()

public object Dispatchers {
    @JvmStatic public val Default: CoroutineDispatcher get() = stub()
    @JvmStatic public val Main: CoroutineDispatcher get() = stub()
    @JvmStatic public val IO: CoroutineDispatcher get() = stub()
}

public fun CoroutineScope.launch(
    context: CoroutineContext = EmptyCoroutineContext,
    start: CoroutineStart = CoroutineStart.DEFAULT,
    block: suspend CoroutineScope.() -> Unit,
): Job = stub()

public suspend fun <T> withContext(context: CoroutineContext, block: suspend CoroutineScope.() -> T): T = stub()
