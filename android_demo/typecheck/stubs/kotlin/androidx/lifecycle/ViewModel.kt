// Stubs of androidx.lifecycle (lifecycle-viewmodel 2.8.x): the declarations the app uses, with the
// library's signatures. Bodies throw: these classes are only type-checked, never run.
package androidx.lifecycle

import android.app.Application
import kotlinx.coroutines.CoroutineScope

public abstract class ViewModel {
    protected open fun onCleared() {}
}

public open class AndroidViewModel(private val application: Application) : ViewModel() {
    public open fun <T : Application> getApplication(): T = throw UnsupportedOperationException("stub")
}

public val ViewModel.viewModelScope: CoroutineScope
    get() = throw UnsupportedOperationException("stub")
