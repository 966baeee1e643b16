package org.kerasmccnet.demo.ui

import android.graphics.Bitmap
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Slider
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.drawWithContent
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.graphics.drawscope.clipRect
import androidx.compose.ui.layout.ContentScale

/**
 * Before (left of the divider) and after (right of it), pixel-aligned, with a slider moving the
 * divider. Without a result it shows the input alone.
 */
@Composable
fun BeforeAfter(before: Bitmap, after: Bitmap?, position: Float, onPosition: (Float) -> Unit) {
    Column(Modifier.fillMaxWidth()) {
        Box(Modifier.fillMaxWidth().aspectRatio(before.width.toFloat() / before.height)) {
            Image(before.asImageBitmap(), "input: mean of the two DP views", Modifier.fillMaxSize(),
                contentScale = ContentScale.Fit)
            if (after != null) {
                Image(after.asImageBitmap(), "deblurred", contentScale = ContentScale.Fit,
                    modifier = Modifier.fillMaxSize().drawWithContent {
                        val x = size.width * position
                        clipRect(left = x) { this@drawWithContent.drawContent() }
                        drawLine(Color.White, Offset(x, 0f), Offset(x, size.height), strokeWidth = 3f)
                    })
            }
        }
        if (after != null) {
            Slider(value = position, onValueChange = onPosition)
            Text("before | after")
        }
    }
}
