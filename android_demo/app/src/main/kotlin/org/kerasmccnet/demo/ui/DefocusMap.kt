package org.kerasmccnet.demo.ui

import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.unit.dp
import org.kerasmccnet.demo.DefocusView

/**
 * The model's defocus map in the web demo's colours (computed in the core, DefocusColors.kt),
 * with its colour bar and legend line.
 */
@Composable
fun DefocusMap(view: DefocusView) {
    Column(Modifier.fillMaxWidth()) {
        Text("Defocus map (model output, input px)", style = MaterialTheme.typography.titleSmall)
        Image(view.map.asImageBitmap(), "defocus map", contentScale = ContentScale.Fit,
            modifier = Modifier.fillMaxWidth().aspectRatio(view.map.width.toFloat() / view.map.height))
        Image(view.bar.asImageBitmap(), "defocus colour scale", contentScale = ContentScale.FillBounds,
            modifier = Modifier.fillMaxWidth().height(12.dp))
        Text(view.legend)
        if (view.signed) Text("red: behind the focal plane, blue: in front of it, white: in focus")
    }
}
