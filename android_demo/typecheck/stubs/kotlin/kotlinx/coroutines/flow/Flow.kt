// Stubs of kotlinx.coroutines.flow (core 1.9.x): the state-flow declarations the app uses, with the
// library's signatures. Bodies throw: these declarations are only type-checked, never run.
package kotlinx.coroutines.flow

public interface FlowCollector<in T> {
    public suspend fun emit(value: T)
}

public interface Flow<out T> {
    public suspend fun collect(collector: FlowCollector<T>)
}

public interface SharedFlow<out T> : Flow<T> {
    public val replayCache: List<T>
}

public interface StateFlow<out T> : SharedFlow<T> {
    public val value: T
}

public interface MutableSharedFlow<T> : SharedFlow<T>, FlowCollector<T> {
    public fun tryEmit(value: T): Boolean
}

public interface MutableStateFlow<T> : StateFlow<T>, MutableSharedFlow<T> {
    public override var value: T

    public fun compareAndSet(expect: T, update: T): Boolean
}

@Suppress("FunctionName")
public fun <T> MutableStateFlow(value: T): MutableStateFlow<T> = throw UnsupportedOperationException("stub")

public fun <T> MutableStateFlow<T>.asStateFlow(): StateFlow<T> = throw UnsupportedOperationException("stub")

public inline fun <T> MutableStateFlow<T>.update(function: (T) -> T) {
    while (true) {
        val prevValue = value
        val nextValue = function(prevValue)
        if (compareAndSet(prevValue, nextValue)) return
    }
}
