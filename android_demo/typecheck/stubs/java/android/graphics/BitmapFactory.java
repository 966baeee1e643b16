package android.graphics;

import androidx.annotation.Nullable;
import java.io.InputStream;

/** Stub of android.graphics.BitmapFactory: stream decoding and its Options. */
public class BitmapFactory {
    public static class Options {
        public boolean inJustDecodeBounds;
        public Bitmap.Config inPreferredConfig;
        public ColorSpace inPreferredColorSpace;
        public boolean inScaled;
        public int outWidth;
        public int outHeight;
        public Bitmap.Config outConfig;
    }

    @Nullable
    public static Bitmap decodeStream(InputStream is, Rect outPadding, Options opts) {
        throw new RuntimeException("Stub!");
    }
}
