package org.kerasmccnet.demo

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import org.kerasmccnet.demo.ui.DemoApp

/** Only hosts: the state lives in [DeblurViewModel], the UI in [DemoApp]. */
class MainActivity : ComponentActivity() {
    private val viewModel: DeblurViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent { DemoApp(viewModel) }
    }
}
